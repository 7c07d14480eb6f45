using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Times each CUDA kernel against its CPU twin on the same machine and operands, side by side in one run,
/// and checks that the two agree.</summary>
/// <remarks>
/// <para>Usage: <c>cuda-time REPS [KERNELS] [--json FILE] [--markdown FILE]</c>, KERNELS a comma list of
/// sgemm, mixedop, nmo, dw, rq, lookup, relu (default all). Each kernel runs on one to three shapes: operands
/// uploaded once, then the first call (with NVRTC compile and module load) reported on its own, then REPS timed
/// samples a side (<see cref="CudaCaseTimer"/> says how), then the GPU result copied back and compared with the
/// CPU's.</para>
/// <para>Exit codes: 0 every row timed and within tolerance; 1 a mismatch, a failed row or an unwritable output file;
/// 2 bad arguments (thrown as <see cref="Infrastructure.TimingUsageException"/> for <c>Program</c> to print); 3 no
/// CUDA device (or no NVRTC), with one line on stderr and nothing else done.</para>
/// <para>At REPS = 20 on an H200 host with 16 cores the whole run is meant to stay under a minute: every shape's CPU
/// samples stop after <see cref="CudaCaseTimer.CpuBudgetMs"/> ms once there are
/// <see cref="CudaCaseTimer.MinCpuReps"/>.</para>
/// </remarks>
public static class CudaTiming
{
    public const int Mismatch = 1;
    public const int NoDevice = 3;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <exception cref="Infrastructure.TimingUsageException">The arguments are wrong.</exception>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        CudaTimingArguments options = CudaTimingArguments.Parse(args);
        if (CudaDevice.KernelsUnavailableReason() is { } reason)
        {
            error.WriteLine($"cuda-time: no CUDA device: {reason}");
            return NoDevice;
        }
        CudaDevice device = CudaDevice.Get(0);
        CpuParallel.MaxThreads = Environment.ProcessorCount;
        string[] notes =
        [
            "GPU ms: wall time of a batch of calls launched back to back and ended by one synchronise, divided by "
                + "the calls in it (batches of about 5 ms; launch overhead overlaps the previous call as in a "
                + "pipeline, the synchronise is paid once per batch); median and min over REPS batches. Calls marked "
                + "* read a result back, so every call synchronises.",
            "first ms: building the CUDA wrapper (NVRTC compile + module load, for the first shape of each .cu file "
                + "only) + the first call + a synchronise.",
            Invariant($"CPU ms: wall time of one call on {CpuParallel.MaxThreads} threads, median and min over REPS calls, or fewer (at least {CudaCaseTimer.MinCpuReps}) once a shape has taken {CudaCaseTimer.CpuBudgetMs / 1000:F0} s (see 'CPU reps')."),
            "max error: the output furthest from the CPU's, as |GPU-CPU| (abs) or |GPU-CPU|/max(1,|CPU|) (rel), "
                + "against twice the CUDA tests' tolerance (both sides round) unless noted in the case; "
                + "MISMATCH beyond it.",
        ];
        output.WriteLine(Invariant($"cuda-time: REPS {options.Reps}, kernels {string.Join(",", options.Kernels)}"));
        output.WriteLine($"device: {device.Description}");
        output.WriteLine($"NVRTC: {Nvrtc.Version} ({Nvrtc.LibraryName})");
        output.WriteLine(Invariant($"host: {Environment.ProcessorCount} logical processors, CPU kernels on {
            CpuParallel.MaxThreads} threads, {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}"));
        foreach (string note in notes)
        {
            output.WriteLine(note);
        }
        output.WriteLine();
        output.WriteLine(CudaTimingTable.TextLine(CudaTimingTable.Header));

        var rows = new List<CudaTimingRow>();
        foreach (CudaTimingEntry entry in CudaTimingCases.For(options.Kernels))
        {
            CudaTimingRow row = CudaCaseTimer.Measure(device, entry, options.Reps);
            rows.Add(row);
            output.WriteLine(CudaTimingTable.TextLine(CudaTimingTable.Cells(row)));
            if (row.Failure is not null)
            {
                output.WriteLine($"    {row.Failure}");
            }
            output.Flush();
        }

        var report = new CudaTimingReport(device.Description, device.Model, device.ComputeCapability,
            device.MultiprocessorCount, device.TotalMemoryBytes, Nvrtc.LibraryName, Nvrtc.Version?.ToString(),
            Environment.ProcessorCount, CpuParallel.MaxThreads,
            $"{RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}", options.Reps,
            options.Kernels, notes, rows);
        bool written = Write(options.JsonPath, () => JsonSerializer.Serialize(report,
            CudaTimingJsonContext.Default.CudaTimingReport), error);
        written &= Write(options.MarkdownPath, () => CudaTimingTable.Markdown(report), error);

        int failed = rows.Count(r => r.Failure is not null), mismatched = rows.Count(r => r.Status == "MISMATCH");
        output.WriteLine();
        output.WriteLine(Invariant($"cuda-time: {rows.Count} rows, {mismatched} mismatched, {failed} failed"));
        return failed == 0 && mismatched == 0 && written ? 0 : Mismatch;
    }

    /// <summary>Writes <paramref name="text"/>'s result to <paramref name="path"/> when one was asked for; false, with
    /// the reason on <paramref name="error"/>, when it cannot be written.</summary>
    private static bool Write(string? path, Func<string> text, TextWriter error)
    {
        if (path is null)
        {
            return true;
        }
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            File.WriteAllText(path, text());
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error.WriteLine($"cuda-time: cannot write {path}: {e.Message}");
            return false;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

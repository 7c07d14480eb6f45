using System.Diagnostics;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Times one <see cref="CudaTimingCase"/> on both sides and checks it: the measuring protocol of
/// <c>cuda-time</c>.</summary>
/// <remarks>
/// <para>GPU: launches are asynchronous, so a single call timed alone would measure the launch, or, with a
/// synchronise after it, the launch plus the synchronise's round trip. A sample is instead the wall time of a batch
/// of calls launched back to back and ended by one <see cref="CudaDevice.Synchronize"/>, divided by the calls: each
/// call's launch overhead overlaps the previous call's work as it would in a pipeline, and the synchronise is paid
/// once per batch. The batch is sized from a short probe to last about <see cref="TargetBatchMs"/>.</para>
/// <para>CPU: one call per sample on all cores. The first call of each side is never a sample (JIT, page faults,
/// thread wake-up; and for the GPU, NVRTC and module load, reported as the first-call time).</para>
/// </remarks>
internal static class CudaCaseTimer
{
    /// <summary>Batch length aimed at: long enough that one synchronise (tens of µs) is a few per cent at most.</summary>
    private const double TargetBatchMs = 5;

    private const int MaxCallsPerBatch = 1000;

    /// <summary>Past this much CPU time on one shape, stop at <see cref="MinCpuReps"/> (SGEMM 4096³ on a slow host).
    /// </summary>
    public const double CpuBudgetMs = 3000;

    public const int MinCpuReps = 3;

    /// <summary>Builds, times and checks <paramref name="entry"/>; any exception becomes a failed row naming the
    /// phase it came from, and the case is disposed either way.</summary>
    public static CudaTimingRow Measure(CudaDevice device, CudaTimingEntry entry, int reps) =>
        Measure(device, device.Synchronize, entry, reps);

    /// <summary>As the public overload, with the synchronise passed in: the tests time fake cases with it on
    /// machines without a GPU.</summary>
    internal static CudaTimingRow Measure(CudaDevice device, Action synchronize, CudaTimingEntry entry, int reps)
    {
        string phase = "setup";
        try
        {
            using CudaTimingCase c = entry.Create();
            return Measure(device, synchronize, entry, c, reps, ref phase);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A kernel that fails (compile error, launch error, bad argument) must not hide the others' numbers.
            return CudaTimingRow.Failed(entry.Kernel, entry.Shape, $"{phase}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static CudaTimingRow Measure(CudaDevice device, Action synchronize, CudaTimingEntry entry,
        CudaTimingCase c, int reps, ref string phase)
    {
        phase = "upload";
        c.Upload(device);
        synchronize();

        phase = "first call";
        long start = Stopwatch.GetTimestamp();
        c.Prepare(device);
        c.RunGpu();
        synchronize();
        double firstMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        phase = "GPU timing";
        // Two untimed calls bring the clocks up, then a three-call probe sizes the batch.
        c.RunGpu();
        c.RunGpu();
        synchronize();
        double probeMs = GpuBatchMs(synchronize, c, 3) / 3;
        int calls = (int)Math.Clamp(Math.Ceiling(TargetBatchMs / Math.Max(probeMs, 1e-4)), 1, MaxCallsPerBatch);
        var gpu = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            gpu[r] = GpuBatchMs(synchronize, c, calls) / calls;
        }

        phase = "CPU timing";
        c.RunCpu();
        var cpu = new double[reps];
        int cpuReps = 0;
        long cpuStart = Stopwatch.GetTimestamp();
        while (cpuReps < reps
               && (cpuReps < MinCpuReps || Stopwatch.GetElapsedTime(cpuStart).TotalMilliseconds < CpuBudgetMs))
        {
            long t0 = Stopwatch.GetTimestamp();
            c.RunCpu();
            cpu[cpuReps++] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        phase = "check";
        IReadOnlyList<CudaAgreement> checks = c.Check();
        CudaAgreement worst = checks.MaxBy(a => a.Severity)
            ?? throw new InvalidOperationException("A case must compare at least one output.");

        var (gpuMin, gpuMedian) = MinMedian(gpu, reps);
        var (cpuMin, cpuMedian) = MinMedian(cpu, cpuReps);
        CudaWork? work = c.Work;
        return new CudaTimingRow(entry.Kernel, entry.Shape, firstMs, gpuMedian, gpuMin, reps, calls,
            c.SynchronisesEachCall, cpuMedian, cpuMin, cpuReps, cpuMedian / gpuMedian, work?.Unit,
            work?.Rate(gpuMedian), work?.Rate(cpuMedian), worst.Output, worst.MaxError, worst.Tolerance,
            worst.Relative, checks.All(a => a.Agrees), null);
    }

    /// <summary>Wall milliseconds of <paramref name="calls"/> calls launched back to back and one synchronise.
    /// </summary>
    private static double GpuBatchMs(Action synchronize, CudaTimingCase c, int calls)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            c.RunGpu();
        }
        synchronize();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    /// <summary>Minimum and median (the upper middle one for an even count, as the other timing verbs) of the first
    /// <paramref name="count"/> samples.</summary>
    private static (double Min, double Median) MinMedian(double[] samples, int count)
    {
        double[] sorted = samples[..count];
        Array.Sort(sorted);
        return (sorted[0], sorted[count / 2]);
    }
}

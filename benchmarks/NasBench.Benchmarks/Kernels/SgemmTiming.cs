using NasBench.Benchmarks.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Gemm;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Quick side-by-side SGEMM timing in the format of <c>benchmarks/peers/sgemm_shapes.c</c> (OpenBLAS), for
/// tuning on a shared machine where a full BenchmarkDotNet run takes too long.</summary>
/// <remarks>
/// Usage: <c>sgemm-time THREADS SHAPE...</c>, SHAPE = <c>MxNxK</c> or <c>MxNxKxTT</c> (T/N per operand, e.g. NT).
/// Each shape: warm-up for 0.3 s, then at least 7 reps and 0.5 s; prints min and median as GFLOP/s (2·M·N·K).
/// Environment <c>CPUCLOCK=1</c> times with the calling thread's CPU clock instead of the wall clock: on a loaded
/// machine that drops the time the thread was descheduled, which only makes sense at 1 thread. <c>GEMM_KC</c>,
/// <c>GEMM_MC</c>, <c>GEMM_NC</c>, <c>GEMM_MAXCHUNKS</c> and <c>GEMM_SHAREDB_MIN</c> (multiply-adds; a huge value
/// turns the shared-B path off) override the blocking of <see cref="GemmBlocking"/> for a tuning sweep.
/// </remarks>
public static partial class SgemmTiming
{
    private const int ClockMonotonic = 1;
    private const int ClockThreadCpu = 3;

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: sgemm-time THREADS MxNxK[xTT] ...");
            return 2;
        }
        int threads = TimingArguments.Int(args, 0, "THREADS");
        var shapes = new List<GemmShape>();
        foreach (string arg in args.Skip(1))
        {
            if (ParseShape(arg) is not { } shape)
            {
                Console.Error.WriteLine(
                    $"sgemm-time: shape '{arg}' is not MxNxK or MxNxKxTT (positive sizes; T or N per operand), "
                    + "e.g. 1024x1024x1024 or 64x784x144xNT.");
                return 2;
            }
            shapes.Add(shape);
        }
        int clock = Environment.GetEnvironmentVariable("CPUCLOCK") is null ? ClockMonotonic : ClockThreadCpu;
        CpuParallel.MaxThreads = threads;
        GemmBlocking.Kc = Setting("GEMM_KC", GemmBlocking.Kc);
        GemmBlocking.Mc = Setting("GEMM_MC", GemmBlocking.Mc);
        GemmBlocking.Nc = Setting("GEMM_NC", GemmBlocking.Nc);
        GemmBlocking.MaxChunks = Setting("GEMM_MAXCHUNKS", GemmBlocking.MaxChunks);
        GemmBlocking.SharedBMinWork = Environment.GetEnvironmentVariable("GEMM_SHAREDB_MIN") is { Length: > 0 } w
            ? long.Parse(w, CultureInfo.InvariantCulture)
            : GemmBlocking.SharedBMinWork;
        foreach (var shape in shapes)
        {
            string arg = shape.Name;
            var times = Time(new GemmOperands(shape, seed: 1), clock);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{arg} {threads}T  reps={times.Count,5}  min {times[0] * 1e3,9:F4} ms  med {times[times.Count / 2] * 1e3,9:F4} ms  best {shape.Flops / times[0] / 1e9,7:F1} GF/s  med {shape.Flops / times[times.Count / 2] / 1e9,7:F1} GF/s"));
        }
        return 0;
    }

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>MxNxK or MxNxKxTT, or null when <paramref name="arg"/> is neither.</summary>
    private static GemmShape? ParseShape(string arg)
    {
        var parts = arg.Split('x');
        if (parts.Length is < 3 or > 4)
        {
            return null;
        }
        var sizes = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                return null;
            }
        }
        string trans = parts.Length > 3 ? parts[3] : "NN";
        if (trans.Length != 2 || trans.Any(c => c is not ('N' or 'T')))
        {
            return null;
        }
        return new GemmShape(arg, sizes[0], sizes[1], sizes[2], trans[0] == 'T', trans[1] == 'T');
    }

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? Parse(v) : fallback;

    private static List<double> Time(GemmOperands o, int clock)
    {
        var s = o.Shape;
        void Once() => Sgemm.Multiply(s.TransA, s.TransB, s.M, s.N, s.K, 1f, o.A, o.Lda, o.B, o.Ldb, 0f, o.C, s.N);
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
        {
            Once();
        }
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 7 || total.Elapsed.TotalSeconds < 0.5)
        {
            double t0 = Now(clock);
            Once();
            times.Add(Now(clock) - t0);
        }
        times.Sort();
        return times;
    }

    private static double Now(int clock)
    {
        _ = ClockGetTime(clock, out var t);
        return t.Seconds + (t.Nanoseconds * 1e-9);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}

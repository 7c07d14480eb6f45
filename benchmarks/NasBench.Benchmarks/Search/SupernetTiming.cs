using System.Globalization;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Tensors.Memory;

namespace NasBench.Benchmarks.Search;

/// <summary>Side-by-side timing in the format of <c>shared/peers/torch_supernet.py</c>: min and median of repeated
/// steps after warm-up, images per second, and peak RSS (VmHWM), which BenchmarkDotNet does not report.</summary>
/// <remarks>Usage: <c>supernet-time THREADS [STEPS] [WARMUP]</c>; <c>CPUCLOCK=1</c> times this thread's CPU time
/// (1 thread only).</remarks>
public static class SupernetTiming
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: supernet-time THREADS [STEPS] [WARM]");
            return 2;
        }
        int threads = TimingArguments.Int(args, 0, "THREADS");
        int steps = TimingArguments.Int(args, 1, "STEPS", fallback: 10);
        int warm = TimingArguments.Int(args, 2, "WARM", fallback: 3, min: 0);
        CpuParallel.MaxThreads = threads;
        var work = new SupernetWorkload();
        long weights = work.Network.WeightParameters().Sum(p => (long)p.Numel);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nasbench threads={threads} batch={SupernetWorkload.Batch} recompute={work.Network.Config.RecomputeEdges} keptCells={work.Network.Config.KeptCells} weights={weights}  RSS after model {Rss("VmRSS"):F0} MiB"));
        Report("forward only (no tape, train-mode BN):  ", Time(work.Forward, steps, warm));
        BufferPool.ResetPeak();
        var w = Time(work.WeightStep, steps, warm);
        Report("weight step fwd+bwd+SGD:                ", w);
        PoolReport("weight step");
        Report("1st-order DARTS step (weight + arch):   ", Time(work.FirstOrderStep, Math.Max(1, steps / 2), Math.Min(1, warm)));
        PoolReport("whole run");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"weight step effective {3 * 2 * 9.0e9 / w[0] / 1e9:F1} GFLOP/s (3x 9.0 GMAC fwd); peak RSS {Rss("VmHWM"):F0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pauses {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024):F0} MiB"));
        return 0;
    }

    /// <summary>Where the memory is: tensors alive at the worst moment, everything the pool ever allocated (what RSS
    /// keeps), and the managed heap.</summary>
    private static void PoolReport(string label)
    {
        const double MiB = 1024.0 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pool ({label}): peak outstanding {BufferPool.PeakOutstandingBytes / MiB:F0} MiB, "
            + $"created {BufferPool.CreatedBytes / MiB:F0} MiB, pooled now {BufferPool.PooledBytes / MiB:F0} MiB; "
            + $"GC heap {GC.GetGCMemoryInfo().HeapSizeBytes / MiB:F0} MiB"));
    }

    private static List<double> Time(Action step, int n, int warm = 3)
    {
        for (int i = 0; i < warm; i++)
        {
            step();
        }
        var times = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            times.Add(StepClock.MeasureMs(step) / 1e3);
        }
        times.Sort();
        return times;
    }

    private static void Report(string label, List<double> t) => Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{label} min {t[0] * 1e3,8:F1} ms  med {t[t.Count / 2] * 1e3,8:F1} ms  -> {SupernetWorkload.Batch / t[t.Count / 2],7:F1} img/s (med)"));

    private static double Rss(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1],
                    CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }
}

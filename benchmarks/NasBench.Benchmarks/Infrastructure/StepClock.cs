using System.Diagnostics;
using NasBench.Hardware.Targets;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>The clock of the side-by-side timing modes: wall time, or with <c>CPUCLOCK=1</c> the calling thread's CPU
/// time, which leaves out the time a loaded machine took the thread off the core (meaningful at 1 thread only, and
/// what the thread-CPU peer scripts in <c>benchmarks/peers/</c> report for PyTorch).</summary>
public static class StepClock
{
    public static bool UsesThreadCpu { get; } = Environment.GetEnvironmentVariable("CPUCLOCK") == "1";

    public static string Name => UsesThreadCpu ? "thread CPU" : "wall";

    /// <summary>Milliseconds <paramref name="work"/> took on this clock.</summary>
    public static double MeasureMs(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (UsesThreadCpu)
        {
            double c0 = ThreadCpuClock.NowMs();
            work();
            return ThreadCpuClock.NowMs() - c0;
        }
        long t0 = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    /// <summary>One untimed call of <paramref name="sampleMs"/>, then <paramref name="reps"/> samples: their minimum
    /// and median (the timing modes' report).</summary>
    public static (double Min, double Median) MinMedian(Func<double> sampleMs, int reps)
    {
        ArgumentNullException.ThrowIfNull(sampleMs);
        sampleMs();
        var t = Enumerable.Range(0, Math.Max(1, reps)).Select(_ => sampleMs()).Order().ToList();
        return (t[0], t[t.Count / 2]);
    }
}

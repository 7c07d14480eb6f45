using System.Diagnostics;
using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Tests.Targets;

/// <summary>Workloads of known cost for the meters' tests.</summary>
/// <remarks>The test assemblies run side by side on CI's two cores, so a wall-clock spin is often preempted and
/// ends late (CI once saw a 0.2 ms spin's median at 0.49 ms). A spin on the thread's own CPU clock, timed by the
/// same clock, costs exactly what it says however loaded the machine is: that is the clock the bookkeeping tests
/// use. Only the test of the wall clock itself spins on the wall clock.</remarks>
internal static class KnownCost
{
    /// <summary>The thread-CPU clock where there is one (Linux: CI and the reference machine), else the wall.</summary>
    public static MeasurementClock Clock =>
        ThreadCpuClock.IsSupported ? MeasurementClock.ThreadCpu : MeasurementClock.Wall;

    /// <summary>Spins until <see cref="Clock"/> has advanced by <paramref name="ms"/>.</summary>
    public static void Spin(double ms)
    {
        if (Clock == MeasurementClock.ThreadCpu)
        {
            SpinThreadCpu(ms);
        }
        else
        {
            SpinWall(ms);
        }
    }

    public static void SpinWall(double ms)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < ms)
        {
        }
    }

    public static void SpinThreadCpu(double ms)
    {
        double start = ThreadCpuClock.NowMs();
        while (ThreadCpuClock.NowMs() - start < ms)
        {
        }
    }
}

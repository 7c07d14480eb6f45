namespace NasBench.Hardware.Targets;

/// <summary>How a latency is measured (docs/latency.md states it in words): settle the GC, warm up (until the JIT is
/// quiet), calibrate calls per
/// sample, take samples until the median is stable, drop Tukey outliers, report median and IQR.</summary>
/// <param name="WarmupCalls">At least this many untimed calls before timing (JIT tiering, caches, buffer pool).
/// </param>
/// <param name="WarmupTime">… and at least this long warming up.</param>
/// <param name="MinSampleTime">Each sample times enough back-to-back calls to last at least this long, so timer
/// resolution and call overhead stay below 1 % for microsecond-scale operations.</param>
/// <param name="MinSamples">Samples always taken.</param>
/// <param name="MaxSamples">Samples never exceeded.</param>
/// <param name="TargetMedianCi">Stop early once the 95 % CI of the median is within ± this fraction of it.</param>
/// <param name="MaxTime">Stop sampling once this much time has been spent timing (after <see cref="MinSamples"/>).
/// </param>
/// <param name="Clock">Wall time (default) or the measuring thread's CPU time (single-threaded targets on a loaded
/// machine).</param>
/// <param name="JitQuietTime">After the minimum warm-up, keep warming up until the JIT has compiled no method for
/// this long (zero: don't wait), so no sample runs code that tiered compilation is still replacing.</param>
/// <param name="MaxWarmupTime">Never warm up longer than this waiting for the JIT (zero: no limit beyond the
/// minimum).</param>
public sealed record MeasurementProtocol(
    int WarmupCalls = 3,
    TimeSpan WarmupTime = default,
    TimeSpan MinSampleTime = default,
    int MinSamples = 15,
    int MaxSamples = 200,
    double TargetMedianCi = 0.02,
    TimeSpan MaxTime = default,
    MeasurementClock Clock = MeasurementClock.Wall,
    TimeSpan JitQuietTime = default,
    TimeSpan MaxWarmupTime = default)
{
    /// <summary>The default: 40 calls and 250 ms of warm-up, then on until the JIT has been quiet for 200 ms (at most
    /// 2 s), samples ≥ 0.5 ms, 15–200 samples, ±2 % median CI, 2 s per measurement.</summary>
    /// <remarks>The warm-up is sized for .NET's tiered JIT, not for caches: a method runs unoptimised code until it
    /// has been called 30 times, and its optimised version is compiled in the background after a further ~100 ms
    /// quiet period. With the old 3 calls / 20 ms, the first operations profiled were timed on unoptimised kernels
    /// (up to 15× too slow) and the lookup sum overestimated whole networks four-fold. A fixed 250 ms is still too
    /// short for the first workloads of a process on a loaded machine, where the background tier-1 compiles queue
    /// behind other work: the first network measured in a process came out 30–40 % slow for its first two
    /// measurements. Waiting for the JIT to fall quiet removes that without lengthening later measurements. The JIT
    /// count is process-wide, so in a process where other threads keep compiling (a test run) every warm-up lasts
    /// until the cap: 2 s here, 0.5 s in <see cref="Quick"/>.</remarks>
    public static MeasurementProtocol Default { get; } = new(
        WarmupCalls: 40, WarmupTime: TimeSpan.FromMilliseconds(250), MinSampleTime: TimeSpan.FromMilliseconds(0.5),
        MaxTime: TimeSpan.FromSeconds(2), JitQuietTime: TimeSpan.FromMilliseconds(200),
        MaxWarmupTime: TimeSpan.FromSeconds(2));

    /// <summary>A cheaper protocol for long sweeps (profiling hundreds of operations or networks): 40 calls / 150 ms
    /// of warm-up, then until the JIT is quiet for 200 ms (at most 0.5 s), 10–60 samples, ±3 %, 0.6 s.</summary>
    public static MeasurementProtocol Quick { get; } = new(
        WarmupCalls: 40, WarmupTime: TimeSpan.FromMilliseconds(150), MinSampleTime: TimeSpan.FromMilliseconds(0.3),
        MinSamples: 10, MaxSamples: 60, TargetMedianCi: 0.03, MaxTime: TimeSpan.FromSeconds(0.6),
        JitQuietTime: TimeSpan.FromMilliseconds(200), MaxWarmupTime: TimeSpan.FromSeconds(0.5));

    public void Validate()
    {
        if (WarmupCalls < 0 || MinSamples < 3 || MaxSamples < MinSamples || TargetMedianCi <= 0
            || WarmupTime < TimeSpan.Zero || MinSampleTime < TimeSpan.Zero || MaxTime < TimeSpan.Zero
            || JitQuietTime < TimeSpan.Zero || MaxWarmupTime < TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid measurement protocol {this}: WarmupCalls ≥ 0, 3 ≤ MinSamples ≤ "
                + "MaxSamples, TargetMedianCi > 0 and non-negative times are required.");
        }
        if (Clock == MeasurementClock.ThreadCpu && !ThreadCpuClock.IsSupported)
        {
            throw new PlatformNotSupportedException("The thread-CPU clock needs Linux; use the wall clock.");
        }
    }
}

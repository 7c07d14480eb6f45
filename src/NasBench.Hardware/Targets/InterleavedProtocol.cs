namespace NasBench.Hardware.Targets;

/// <summary>How <see cref="InterleavedMeter"/> measures many workloads together: warm all of them up (until the JIT is
/// quiet), calibrate calls per sample for each, then take <see cref="Sweeps"/> passes over all of them in a shuffled
/// order, one sample per workload per pass. docs/latency.md states it in words.</summary>
/// <remarks>Why interleave: on a shared machine the speed drifts over minutes (another job's build, the host's other
/// hyperthread). Measured one after the other, each workload gets its own spell of the machine, and a workload
/// measured in a slow spell looks slower than its neighbours although it is not; no estimator can then predict it.
/// Measured in sweeps, every workload samples every spell in the same proportion, so a drift moves all medians
/// alike instead of scattering them.</remarks>
/// <param name="Sweeps">Passes over all workloads; each gives every workload one sample. The latency is the median
/// over the sweeps.</param>
/// <param name="RewarmCalls">Untimed calls just before each sample, so the workload's weights, input and code are
/// back in the caches after the other workloads evicted them: samples time a workload hot, as
/// <see cref="LatencyMeter"/> does when it calls one workload back to back.</param>
/// <param name="WarmupCalls">Untimed calls of every workload before calibration (JIT tiering, buffer pool).</param>
/// <param name="WarmupTime">At least this long warming up (all workloads together).</param>
/// <param name="JitQuietTime">… and on, in passes over all workloads, until the JIT has compiled no method for this
/// long.</param>
/// <param name="MaxWarmupTime">Never warm up longer than this waiting for the JIT.</param>
/// <param name="MinSampleTime">Each sample times enough calls to last at least this long.</param>
/// <param name="Seed">Seeds the sweep order, so a study is reproducible.</param>
public sealed record InterleavedProtocol(
    int Sweeps = 60,
    int RewarmCalls = 2,
    int WarmupCalls = 5,
    TimeSpan WarmupTime = default,
    TimeSpan JitQuietTime = default,
    TimeSpan MaxWarmupTime = default,
    TimeSpan MinSampleTime = default,
    int Seed = 1)
{
    /// <summary>60 sweeps, 2 re-warm calls, 5 warm-up calls each and at least 250 ms, then until the JIT has been
    /// quiet for 200 ms (at most 3 s), samples ≥ 0.5 ms.</summary>
    public static InterleavedProtocol Default { get; } = new(
        WarmupTime: TimeSpan.FromMilliseconds(250), JitQuietTime: TimeSpan.FromMilliseconds(200),
        MaxWarmupTime: TimeSpan.FromSeconds(3), MinSampleTime: TimeSpan.FromMilliseconds(0.5));

    /// <summary>The same with another number of sweeps.</summary>
    public static InterleavedProtocol WithSweeps(int sweeps) => Default with { Sweeps = sweeps };

    /// <exception cref="ArgumentException">Fewer than 2 sweeps, negative calls or times.</exception>
    public void Validate()
    {
        if (Sweeps < 2 || RewarmCalls < 0 || WarmupCalls < 0 || WarmupTime < TimeSpan.Zero
            || JitQuietTime < TimeSpan.Zero || MaxWarmupTime < TimeSpan.Zero || MinSampleTime < TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid interleaved protocol {this}: Sweeps ≥ 2 (the odd and even sweeps "
                + "are compared), non-negative calls and times are required.");
        }
    }
}

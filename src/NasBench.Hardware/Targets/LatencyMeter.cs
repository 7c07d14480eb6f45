using System.Diagnostics;
using System.Runtime;

namespace NasBench.Hardware.Targets;

/// <summary>Runs <see cref="MeasurementProtocol"/> on any workload: the one timing loop every target uses.</summary>
public static class LatencyMeter
{
    /// <summary>Measures the wall time of one call of <paramref name="workload"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static LatencyStatistics Measure(Action workload, MeasurementProtocol? protocol = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        protocol ??= MeasurementProtocol.Default;
        protocol.Validate();
        Settle();
        WarmUp(workload, protocol, cancellationToken);

        int calls = CallsPerSample(workload, protocol.MinSampleTime, protocol.Clock);

        // A collection caused by earlier garbage must not land inside a timed sample.
        Settle();
        int gcBefore = TotalCollections();
        var samples = new List<double>(protocol.MinSamples * 2);
        var timing = Stopwatch.StartNew();
        while (samples.Count < protocol.MaxSamples)
        {
            samples.Add(TimeOnce(workload, calls, protocol.Clock) / calls);
            cancellationToken.ThrowIfCancellationRequested();
            if (samples.Count < protocol.MinSamples)
            {
                continue;
            }
            if (timing.Elapsed >= protocol.MaxTime && protocol.MaxTime > TimeSpan.Zero)
            {
                break;
            }
            // Checking stability every few samples keeps the sort out of the timing cadence.
            if (samples.Count % 5 == 0 && LatencyStatistics.FromSamples(samples).MedianCiRelative <= protocol.TargetMedianCi)
            {
                break;
            }
        }
        return LatencyStatistics.FromSamples(samples, calls, TotalCollections() - gcBefore);
    }

    /// <summary>The minimum warm-up, then on until no method has been JIT-compiled for
    /// <see cref="MeasurementProtocol.JitQuietTime"/> (tier-1 replacements included), at most
    /// <see cref="MeasurementProtocol.MaxWarmupTime"/>.</summary>
    /// <returns>Warm-up calls made.</returns>
    internal static int WarmUp(Action workload, MeasurementProtocol protocol, CancellationToken cancellationToken) =>
        WarmUp([new InterleavedWorkload(workload)], protocol.WarmupCalls, protocol.WarmupTime, protocol.JitQuietTime,
            protocol.MaxWarmupTime, cancellationToken);

    /// <summary><paramref name="warmupCalls"/> calls of every workload (each after its context), then passes of one
    /// call each until <paramref name="warmupTime"/> has passed and the JIT has compiled no method for
    /// <paramref name="jitQuietTime"/> (tier-1 replacements of shared kernels included; zero: don't wait), at most
    /// <paramref name="maxWarmupTime"/> (zero: no cap beyond the minimum).</summary>
    /// <returns>Calls made of each workload.</returns>
    internal static int WarmUp(IReadOnlyList<InterleavedWorkload> workloads, int warmupCalls, TimeSpan warmupTime,
        TimeSpan jitQuietTime, TimeSpan maxWarmupTime, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        var quietSince = TimeSpan.Zero;
        void Call(InterleavedWorkload workload)
        {
            workload.Enter?.Invoke();
            workload.Call();
            cancellationToken.ThrowIfCancellationRequested();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = clock.Elapsed;
            }
        }
        foreach (var workload in workloads)
        {
            for (int c = 0; c < warmupCalls; c++)
            {
                Call(workload);
            }
        }
        int calls = warmupCalls;
        while (true)
        {
            var now = clock.Elapsed;
            bool minimumDone = now >= warmupTime;
            bool quiet = jitQuietTime <= TimeSpan.Zero || now - quietSince >= jitQuietTime;
            bool capped = maxWarmupTime > TimeSpan.Zero && now >= maxWarmupTime;
            if (minimumDone && (quiet || capped))
            {
                return calls;
            }
            foreach (var workload in workloads)
            {
                Call(workload);
            }
            calls++;
        }
    }

    /// <summary>Calibration: doubles the calls per sample until one sample lasts <paramref name="minSampleTime"/>.
    /// </summary>
    internal static int CallsPerSample(Action workload, TimeSpan minSampleTime, MeasurementClock clock)
    {
        int calls = 1;
        double perCall = TimeOnce(workload, 1, clock);
        double minSampleMs = minSampleTime.TotalMilliseconds;
        while (perCall * calls < minSampleMs && calls < 1 << 20)
        {
            calls = (int)Math.Min(1 << 20, Math.Max(calls * 2L, (long)Math.Ceiling(minSampleMs / Math.Max(perCall, 1e-6))));
            perCall = TimeOnce(workload, calls, clock) / calls;
        }
        return calls;
    }

    /// <summary>Time of <paramref name="calls"/> back-to-back calls (ms, all of them together).</summary>
    internal static double TimeOnce(Action workload, int calls, MeasurementClock clock)
    {
        if (clock == MeasurementClock.ThreadCpu)
        {
            double cpuStart = ThreadCpuClock.NowMs();
            for (int i = 0; i < calls; i++)
            {
                workload();
            }
            return ThreadCpuClock.NowMs() - cpuStart;
        }
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            workload();
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Full blocking collection twice around the finalizers, so garbage from set-up is gone before timing.
    /// </summary>
    internal static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    internal static int TotalCollections()
    {
        int total = 0;
        for (int g = 0; g <= GC.MaxGeneration; g++)
        {
            total += GC.CollectionCount(g);
        }
        return total;
    }
}

namespace NasBench.Hardware.Targets;

/// <summary>Measures many workloads together under <see cref="InterleavedProtocol"/>: sweeps over all of them in a
/// shuffled order, one sample each per sweep, so that the drifts of a shared machine reach every workload alike.
/// </summary>
public static class InterleavedMeter
{
    /// <param name="workloads">One call of each is what is timed.</param>
    /// <param name="onSweep">Called after each sweep with the number of sweeps done.</param>
    /// <returns>One result per workload, in the order given.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static IReadOnlyList<InterleavedMeasurement> Measure(IReadOnlyList<Action> workloads,
        InterleavedProtocol? protocol = null, MeasurementClock clock = MeasurementClock.Wall,
        Action<int>? onSweep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        return Measure([.. workloads.Select(w => new InterleavedWorkload(w, clock))], protocol, onSweep,
            cancellationToken);
    }

    /// <summary>The same for workloads that each bring their clock and context (several targets in one run).
    /// </summary>
    public static IReadOnlyList<InterleavedMeasurement> Measure(IReadOnlyList<InterleavedWorkload> workloads,
        InterleavedProtocol? protocol = null, Action<int>? onSweep = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        protocol ??= InterleavedProtocol.Default;
        protocol.Validate();
        if (workloads.Any(w => w.Clock == MeasurementClock.ThreadCpu) && !ThreadCpuClock.IsSupported)
        {
            throw new PlatformNotSupportedException("The thread-CPU clock needs Linux; use the wall clock.");
        }
        int count = workloads.Count;
        if (count == 0)
        {
            return [];
        }
        LatencyMeter.Settle();
        LatencyMeter.WarmUp(workloads, protocol.WarmupCalls, protocol.WarmupTime, protocol.JitQuietTime,
            protocol.MaxWarmupTime, cancellationToken);
        var calls = new int[count];
        for (int w = 0; w < count; w++)
        {
            workloads[w].Enter?.Invoke();
            calls[w] = LatencyMeter.CallsPerSample(workloads[w].Call, protocol.MinSampleTime, workloads[w].Clock);
        }

        LatencyMeter.Settle();
        int gcBefore = LatencyMeter.TotalCollections();
        var samples = new double[count][];
        for (int w = 0; w < count; w++)
        {
            samples[w] = new double[protocol.Sweeps];
        }
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(protocol.Seed);
        for (int sweep = 0; sweep < protocol.Sweeps; sweep++)
        {
            // A fresh order each sweep: a workload's neighbours (what evicted its caches, what warmed the core's
            // clock) change from sample to sample instead of biasing it the same way every time.
            random.Shuffle(order);
            foreach (int w in order)
            {
                var (workload, clock, enter) = workloads[w];
                enter?.Invoke();
                for (int r = 0; r < protocol.RewarmCalls; r++)
                {
                    workload();
                }
                samples[w][sweep] = LatencyMeter.TimeOnce(workload, calls[w], clock) / calls[w];
                cancellationToken.ThrowIfCancellationRequested();
            }
            onSweep?.Invoke(sweep + 1);
        }
        int gc = LatencyMeter.TotalCollections() - gcBefore;

        var results = new InterleavedMeasurement[count];
        for (int w = 0; w < count; w++)
        {
            var even = samples[w].Where((_, s) => s % 2 == 0).ToArray();
            var odd = samples[w].Where((_, s) => s % 2 == 1).ToArray();
            results[w] = new InterleavedMeasurement(LatencyStatistics.FromSamples(samples[w], calls[w], gc),
                LatencyStatistics.FromSamples(even).MedianMs, LatencyStatistics.FromSamples(odd).MedianMs);
        }
        return results;
    }
}

using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Latency;

/// <summary>Measures every operation configuration of a space on a target and builds the table; resumes from a partial
/// table by skipping the entries it already holds.</summary>
public static class LatencyProfiler
{
    /// <param name="operations">Configurations to profile; duplicates are measured once.</param>
    /// <param name="resumeFrom">A partial table of the same target whose entries are kept, or null.</param>
    /// <param name="onEntry">Called after each measured entry with the table so far (for progress and checkpoints).
    /// </param>
    /// <exception cref="LatencyTableFormatException"><paramref name="resumeFrom"/> was measured on another target.
    /// </exception>
    public static LatencyTable Profile(ITarget target, IOperationModuleFactory factory,
        IEnumerable<OperationConfig> operations, string space, MeasurementProtocol? protocol = null,
        LatencyTable? resumeFrom = null, Action<LatencyEntry, LatencyTable>? onEntry = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(operations);
        resumeFrom?.EnsureFingerprint(target.Fingerprint);
        var table = resumeFrom ?? new LatencyTable(target.Fingerprint, space, []);
        foreach (var op in Distinct(operations))
        {
            if (table.Contains(op))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var module = factory.Build(op);
            var stats = target.Measure(module, factory.InputShape(op), protocol, cancellationToken);
            var entry = new LatencyEntry(op, stats.MedianMs, stats.IqrMs, stats.Samples);
            table = table.Merge([entry]);
            onEntry?.Invoke(entry, table);
        }
        return table;
    }

    /// <summary>The same, but every missing entry is measured together with the others in sweeps
    /// (<see cref="IInterleavingTarget.MeasureInterleaved"/>), so a slow spell of a shared machine moves all entries
    /// alike instead of the few measured in it.</summary>
    /// <param name="onSweep">Called after each sweep with the number of sweeps done.</param>
    /// <exception cref="LatencyTableFormatException"><paramref name="resumeFrom"/> was measured on another target.
    /// </exception>
    public static LatencyTable ProfileInterleaved(IInterleavingTarget target, IOperationModuleFactory factory,
        IEnumerable<OperationConfig> operations, string space, InterleavedProtocol? protocol = null,
        LatencyTable? resumeFrom = null, Action<int>? onSweep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(operations);
        resumeFrom?.EnsureFingerprint(target.Fingerprint);
        var table = resumeFrom ?? new LatencyTable(target.Fingerprint, space, []);
        var missing = Distinct(operations).Where(o => !table.Contains(o)).ToArray();
        if (missing.Length == 0)
        {
            return table;
        }
        var results = target.MeasureInterleaved(
            [.. missing.Select(op => (factory.Build(op), (IReadOnlyList<int>)factory.InputShape(op)))], protocol,
            onSweep, cancellationToken);
        return table.Merge(missing.Select((op, k) =>
        {
            var stats = results[k].Statistics;
            return new LatencyEntry(op, stats.MedianMs, stats.IqrMs, stats.Samples);
        }));
    }

    /// <summary>Distinct configurations in first-seen order.</summary>
    public static IReadOnlyList<OperationConfig> Distinct(IEnumerable<OperationConfig> operations)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. operations.Where(o => seen.Add(o.Key))];
    }
}

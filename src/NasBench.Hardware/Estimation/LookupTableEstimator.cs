using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Estimation;

/// <summary>The lookup-table estimate (FBNet, ProxylessNAS): a network's latency = Σ of its operations' table
/// latencies. Ignores whatever happens between operations (memory traffic across op boundaries, scheduling).
/// </summary>
public sealed class LookupTableEstimator(LatencyTable table)
{
    public LatencyTable Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>Σ over <paramref name="operations"/> (with repetition) of the table median, ms.</summary>
    /// <exception cref="KeyNotFoundException">An operation has no entry (names the table and key).</exception>
    public double EstimateMs(IEnumerable<OperationConfig> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        double total = 0;
        foreach (var op in operations)
        {
            total += Table.LatencyMs(op);
        }
        return total;
    }

    /// <summary>Summed latency per operation name, largest first: where the estimated time goes.</summary>
    public IReadOnlyList<(string Operation, int Count, double Ms)> Breakdown(IEnumerable<OperationConfig> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return [.. operations.GroupBy(o => o.Operation)
            .Select(g => (g.Key, g.Count(), g.Sum(Table.LatencyMs)))
            .OrderByDescending(t => t.Item3)];
    }
}

using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Cost;

/// <summary>Cost = median latency (ms) of the operation in a measured table.</summary>
/// <remarks>The operation is looked up at the batch it names, unless <paramref name="batch"/> is given: then at that
/// batch whatever the caller names. A search that costs ops at its training batch (64) can so use a table profiled at
/// the inference batch (1), which is the latency the found network will be deployed at.</remarks>
/// <param name="table">The measured table.</param>
/// <param name="batch">The batch every lookup uses, or null to use the operation's own.</param>
public sealed class TableLatencyCostModel(LatencyTable table, int? batch = null) : ICostModel
{
    public LatencyTable Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    public int? Batch { get; } = batch;

    public string Name => $"latency:{Table.Fingerprint.Target}";

    public string Unit => "ms";

    /// <exception cref="KeyNotFoundException">The table has no entry (the message names the table and key).
    /// </exception>
    public double Cost(OperationConfig operation) =>
        Table.LatencyMs(Batch is { } b ? operation with { Batch = b } : operation);
}

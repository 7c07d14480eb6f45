using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Cost;

/// <summary>Cost = median latency (ms) of the operation in a measured table.</summary>
/// <remarks>The operation is looked up at the batch it names; profile the table at the batch the search asks for.
/// </remarks>
public sealed class TableLatencyCostModel(LatencyTable table) : ICostModel
{
    public LatencyTable Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    public string Name => $"latency:{Table.Fingerprint.Target}";

    public string Unit => "ms";

    /// <exception cref="KeyNotFoundException">The table has no entry (the message names the table and key).
    /// </exception>
    public double Cost(OperationConfig operation) => Table.LatencyMs(operation);
}

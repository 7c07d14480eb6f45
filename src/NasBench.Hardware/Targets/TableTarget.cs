using NasBench.Hardware.Latency;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Targets;

/// <summary>A device known only through a latency table measured elsewhere (a phone, an accelerator) and imported:
/// its latencies can be estimated and compared, not measured from here.</summary>
public sealed class TableTarget(LatencyTable table) : ITarget
{
    public LatencyTable Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    public string Name => Table.Fingerprint.Target;

    public string Description => $"imported table ({Table.Entries.Count} entries): {Table.Fingerprint.Describe()}";

    public TargetFingerprint Fingerprint => Table.Fingerprint;

    public bool IsAvailable => false;

    public string Availability => "table only: measured elsewhere, estimate with its table";

    public LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
        MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            $"Target '{Name}' is an imported latency table ({Table.Source ?? "in memory"}); it cannot be measured "
            + "from this machine. Estimate with the table instead.");
}

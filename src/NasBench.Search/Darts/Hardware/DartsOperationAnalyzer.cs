using System.Collections.Concurrent;
using NasBench.Hardware;
using NasBench.Hardware.Cost;

namespace NasBench.Search.Darts.Hardware;

/// <summary>Counts a DARTS operation: parameters by building its evaluation module and counting (so they cannot drift
/// from the network), MACs analytically (convolution and linear layers), activation bytes as the float32 outputs of
/// each primitive (ReLU, convolution, BN, pooling, sum, concat) it runs.</summary>
/// <remarks>All counts are for the configuration's batch; the cost models ask for batch 1.</remarks>
public sealed class DartsOperationAnalyzer : IOperationAnalyzer
{
    private readonly DartsOperationModules _modules = new();
    private readonly ConcurrentDictionary<string, long> _parameters = new(StringComparer.Ordinal);

    public OperationCounts Count(OperationConfig operation)
    {
        var o = operation;
        string paramKey = (o with { Batch = 1, Height = 1, Width = 1 }).Key;
        long parameters = _parameters.GetOrAdd(paramKey,
            _ => _modules.Build(o).Parameters().Sum(p => (long)p.Numel));
        long inPlane = (long)o.Height * o.Width, outPlane = (long)o.OutHeight * o.OutWidth;
        long c = o.InChannels, k2 = (long)o.Kernel * o.Kernel, n = o.Batch;
        (long macs, long floats) = o.Operation switch
        {
            // ReLU at the input size, then depthwise (stride s) → pointwise → BN, twice (second at stride 1).
            DartsOperations.SepConv3x3 or DartsOperations.SepConv5x5 =>
                ((2 * c * k2 * outPlane) + (2 * c * c * outPlane), (c * inPlane) + (7 * c * outPlane)),
            DartsOperations.DilConv3x3 or DartsOperations.DilConv5x5 =>
                ((c * k2 * outPlane) + (c * c * outPlane), (c * inPlane) + (3 * c * outPlane)),
            DartsOperations.MaxPool3x3 or DartsOperations.AvgPool3x3 => (0, c * outPlane),
            DartsOperations.SkipConnect when o.Stride == 1 => (0, 0),
            DartsOperations.SkipConnect => FactorizedReduceCounts(c, c, inPlane, outPlane),
            DartsOperations.None => (0, c * outPlane),
            DartsFixedOperations.Stem => (c * o.OutChannels * 9 * inPlane, 2L * o.OutChannels * inPlane),
            DartsFixedOperations.Preprocess => (c * o.OutChannels * inPlane, (c * inPlane) + (2L * o.OutChannels * inPlane)),
            DartsFixedOperations.FactorizedReduce => FactorizedReduceCounts(c, o.OutChannels, inPlane, outPlane),
            DartsFixedOperations.NodeAdd => (0, c * inPlane),
            DartsFixedOperations.CellConcat => (0, o.OutChannels * inPlane),
            DartsFixedOperations.Classifier => (c * o.OutChannels, c + o.OutChannels),
            _ => throw new ArgumentException($"Unknown DARTS operation '{o.Operation}' in '{o.Key}'.",
                nameof(operation)),
        };
        return new OperationCounts(parameters, macs * n, floats * n * sizeof(float));
    }

    /// <summary>ReLU, two 1×1 stride-2 convolutions to cout/2 each, concat, BN.</summary>
    private static (long Macs, long Floats) FactorizedReduceCounts(long cin, long cout, long inPlane, long outPlane) =>
        (cin * cout * outPlane, (cin * inPlane) + (3 * cout * outPlane));
}

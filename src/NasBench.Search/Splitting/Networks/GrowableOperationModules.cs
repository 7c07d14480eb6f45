using NasBench.Hardware;
using NasBench.Hardware.Latency;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Builds the module that runs one growable operation configuration alone, from the same unit classes the
/// network uses (so a target times exactly what the grown network runs): <c>conv1x1</c>/<c>conv3x3</c> →
/// <see cref="ConvUnit"/> (conv → BN → Swish), <c>dwconv3x3</c> → <see cref="DepthwiseUnit"/>, <c>linear</c> →
/// <see cref="HiddenLinearUnit"/> (linear + bias → Swish; the classifier's missing Swish is a few µs at most).
/// </summary>
/// <remarks>Input shapes: [N, C_in, H, W] for the convolutions, [N, C_in] for <c>linear</c>, N =
/// <see cref="OperationConfig.Batch"/>.</remarks>
public sealed class GrowableOperationModules(ulong seed = 1) : IOperationModuleFactory
{
    public static GrowableOperationModules Instance { get; } = new();

    /// <exception cref="ArgumentException">An operation name <see cref="GrowableOperationAnalyzer"/> does not know, or
    /// a depthwise configuration with C_in ≠ C_out.</exception>
    public Module<Tensor, Tensor> Build(OperationConfig operation)
    {
        var g = new Generator(seed);
        var o = operation;
        GrowableUnit unit = o.Operation switch
        {
            "conv1x1" or "conv3x3" => new ConvUnit(o.InChannels, o.OutChannels, o.Kernel, o.Stride, g),
            "dwconv3x3" when o.InChannels == o.OutChannels => new DepthwiseUnit(o.InChannels, o.Stride, g),
            "dwconv3x3" => throw new ArgumentException(
                $"'{o.Key}': a depthwise convolution keeps the channel count (cin = cout).", nameof(operation)),
            "linear" => new HiddenLinearUnit(o.InChannels, o.OutChannels, g),
            _ => throw new ArgumentException(
                $"Unknown growable operation '{o.Operation}' in '{o.Key}'; expected conv1x1, conv3x3, dwconv3x3 or "
                + "linear.", nameof(operation)),
        };
        return new UnitModule(unit);
    }

    public int[] InputShape(OperationConfig operation) => operation.Operation == "linear"
        ? [operation.Batch, operation.InChannels]
        : [operation.Batch, operation.InChannels, operation.Height, operation.Width];

    /// <summary>A unit as a plain module (no probe).</summary>
    private sealed class UnitModule : Module<Tensor, Tensor>
    {
        private readonly GrowableUnit _unit;

        public UnitModule(GrowableUnit unit)
        {
            _unit = unit;
            RegisterModule("unit", unit);
        }

        public override Tensor Forward(Tensor input) => _unit.Forward(input, null);
    }
}

using NasBench.Hardware;
using NasBench.Hardware.Latency;
using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Hardware;

/// <summary>Builds the module that runs one DARTS operation configuration alone, in its evaluation form (affine BN,
/// no BN after pooling), so targets can profile it.</summary>
public sealed class DartsOperationModules(ulong seed = 1) : IOperationModuleFactory
{
    public Module<Tensor, Tensor> Build(OperationConfig operation)
    {
        var g = new Generator(seed);
        var o = operation;
        return o.Operation switch
        {
            DartsFixedOperations.Stem => new Sequential(
                new Conv2d(o.InChannels, o.OutChannels, 3, g, padding: 1, bias: false), new BatchNorm2d(o.OutChannels)),
            DartsFixedOperations.Preprocess => new ReluConvBn(o.InChannels, o.OutChannels, 1, 1, 0, affine: true, g),
            DartsFixedOperations.FactorizedReduce => new FactorizedReduce(o.InChannels, o.OutChannels, affine: true, g),
            DartsFixedOperations.NodeAdd => new NodeAddModule(),
            DartsFixedOperations.CellConcat => new ConcatModule(o.OutChannels / Math.Max(o.InChannels, 1)),
            DartsFixedOperations.Classifier => new ClassifierModule(o.InChannels, o.OutChannels, g),
            _ when DartsOperations.All.Contains(o.Operation) => BuildCandidate(o, g),
            _ => throw new ArgumentException(
                $"Unknown DARTS operation '{o.Operation}' in '{o.Key}'; expected one of "
                + $"{string.Join(", ", DartsOperations.All.Concat(DartsFixedOperations.All))}.", nameof(operation)),
        };
    }

    public int[] InputShape(OperationConfig operation) =>
        [operation.Batch, operation.InChannels, operation.Height, operation.Width];

    private static Module<Tensor, Tensor> BuildCandidate(OperationConfig o, Generator g)
    {
        if (o.InChannels != o.OutChannels)
        {
            throw new ArgumentException($"'{o.Key}': candidate operations keep the channel count (cin = cout).");
        }
        return DartsOperationFactory.Create(o.Operation, o.InChannels, o.Stride, affine: true, search: false, g);
    }

    /// <summary>x + x: the same work as summing a node's two inputs of that shape.</summary>
    private sealed class NodeAddModule : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor input) => input + input;
    }

    /// <summary>Concatenates <c>parts</c> copies along channels: the work of a cell's output concat.</summary>
    private sealed class ConcatModule(int parts) : Module<Tensor, Tensor>
    {
        private readonly Tensor[] _inputs = new Tensor[Math.Max(parts, 1)];

        public override Tensor Forward(Tensor input)
        {
            Array.Fill(_inputs, input);
            return Functional.Cat(_inputs, 1);
        }
    }

    private sealed class ClassifierModule : Module<Tensor, Tensor>
    {
        private readonly Linear _linear;

        public ClassifierModule(int inFeatures, int classes, Generator g)
        {
            _linear = new Linear(inFeatures, classes, g);
            RegisterModule("classifier", _linear);
        }

        public override Tensor Forward(Tensor input) => _linear.Forward(Functional.AdaptiveAvgPool2d(input).Flatten());
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Network;

/// <summary>DARTS's auxiliary classifier (darts.md §1.8): ReLU → AvgPool 5×5 → Conv1×1 →128 → BN → ReLU →
/// Conv2×2 →768 → BN → ReLU → Linear.</summary>
/// <remarks>The reference pools an 8×8 map with stride 3 to 2×2 (CIFAR) and a 7×7 map with stride 2 (ImageNet); we
/// pick the stride that gives 2×2 for the map it is attached to, s = size − 5, so 28×28 inputs (7×7 there) work.</remarks>
public sealed class AuxiliaryHead : Module<Tensor, Tensor>
{
    private readonly int _poolStride;
    private readonly Sequential _features;
    private readonly Linear _classifier;

    public AuxiliaryHead(int channels, int mapSize, int classes, Generator generator)
    {
        if (mapSize < 6)
        {
            throw new ArgumentException(
                $"The auxiliary head needs a feature map of at least 6×6 where it attaches; got {mapSize}×{mapSize}.");
        }
        _poolStride = mapSize - 5;
        _features = new Sequential(
            new Conv2d(channels, 128, 1, generator, bias: false), new BatchNorm2d(128), new ReLU(),
            new Conv2d(128, 768, 2, generator, bias: false), new BatchNorm2d(768), new ReLU());
        _classifier = new Linear(768, classes, generator);
        RegisterModule("features", _features);
        RegisterModule("classifier", _classifier);
    }

    public override Tensor Forward(Tensor input)
    {
        var x = Functional.AvgPool2d(Functional.Relu(input), 5, _poolStride, 0);
        return _classifier.Forward(_features.Forward(x).Flatten());
    }
}

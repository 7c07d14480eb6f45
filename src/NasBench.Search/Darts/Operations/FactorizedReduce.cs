using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>Halves the resolution without losing every other pixel: ReLU, then two 1×1 stride-2 convolutions, the
/// second on the input shifted by one pixel, concatenated, then BN (darts.md §1.2).</summary>
public sealed class FactorizedReduce : Module<Tensor, Tensor>, IBatchNormTail
{
    private readonly Conv2d _pathA;
    private readonly Conv2d _pathB;
    private readonly BatchNorm2d _bn;

    public FactorizedReduce(int inChannels, int outChannels, bool affine, Generator generator)
    {
        if (outChannels % 2 != 0)
        {
            throw new ArgumentException($"FactorizedReduce needs an even output channel count, got {outChannels}.");
        }
        _pathA = new Conv2d(inChannels, outChannels / 2, 1, generator, stride: 2, bias: false);
        _pathB = new Conv2d(inChannels, outChannels / 2, 1, generator, stride: 2, padding: 1, bias: false);
        _bn = new BatchNorm2d(outChannels, affine: affine);
        RegisterModule("conv_1", _pathA);
        RegisterModule("conv_2", _pathB);
        RegisterModule("bn", _bn);
    }

    public BatchNorm2d? TailNorm => _bn;

    public override Tensor Forward(Tensor input)
    {
        var beforeNorm = ForwardBeforeNorm(input);
        return Tensor.Consumed(beforeNorm, _bn.Forward(beforeNorm));
    }

    public Tensor ForwardBeforeNorm(Tensor input)
    {
        // Both paths take relu(input) fused (Functional.ReluConv2d): each applies the ReLU to the quarter of the
        // pixels it gathers, and relu(input) is never written.
        var a = _pathA.ForwardOfRelu(input);
        // Path B reads the pixels at odd coordinates, x[:, :, 1::2, 1::2]. A 1×1 stride-2 convolution with padding 1
        // samples x[2i − 1], so dropping its first row and column gives exactly those pixels, and for odd sizes the
        // last one falls on the zero padding: both paths then have ⌈H/2⌉ rows, where the reference would fail.
        var fullB = _pathB.ForwardOfRelu(input);
        var rowsB = fullB.Narrow(2, 1, a.Shape[2]);
        var b = rowsB.Narrow(3, 1, a.Shape[3]);
        var cat = Functional.Cat([a, b], 1);
        // Without the tape both paths go back to the pool at once (the views hold references to path B's storage).
        foreach (var consumed in (ReadOnlySpan<Tensor>)[a, fullB, rowsB, b])
        {
            Tensor.Consumed(consumed, cat);
        }
        return cat;
    }

    /// <summary><see cref="ForwardBeforeNorm"/> on batch-minor activations [1, C, H·W, N]
    /// (<see cref="Functional.BatchMinor"/>): each path is one matrix product over its grid's cells, ReLU applied
    /// to the quarter of the input it reads.</summary>
    public Tensor ForwardBeforeNormBatchMinor(Tensor input, int height, int width)
    {
        var gridA = Functional.BatchMinor.Subsample2(input, height, width, 0);
        var reluA = Tensor.Consumed(gridA, Functional.Relu(gridA));
        var a = Tensor.Consumed(reluA, Functional.BatchMinor.PointwiseConv2d(reluA, _pathA.Weight));
        var gridB = Functional.BatchMinor.Subsample2(input, height, width, 1);
        var reluB = Tensor.Consumed(gridB, Functional.Relu(gridB));
        var b = Tensor.Consumed(reluB, Functional.BatchMinor.PointwiseConv2d(reluB, _pathB.Weight));
        var cat = Functional.Cat([a, b], 1);
        Tensor.Consumed(a, cat);
        return Tensor.Consumed(b, cat);
    }
}

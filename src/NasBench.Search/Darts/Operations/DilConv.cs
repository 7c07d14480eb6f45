using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>ReLU → depthwise k×k (dilation d) → pointwise 1×1 → BN (darts.md §1.2, <c>dil_conv</c>; also one half of
/// <c>sep_conv</c>).</summary>
public sealed class DilConv : Module<Tensor, Tensor>, IReluDepthwiseHead
{
    private readonly Conv2d _depthwise;
    private readonly Conv2d _pointwise;
    private readonly BatchNorm2d _bn;

    public DilConv(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, bool affine,
        Generator generator)
    {
        _depthwise = new Conv2d(inChannels, inChannels, kernel, generator, stride, padding, dilation,
            groups: inChannels, bias: false);
        _pointwise = new Conv2d(inChannels, outChannels, 1, generator, bias: false);
        _bn = new BatchNorm2d(outChannels, affine: affine);
        // Registered as one Sequential named "op" so parameter names match the reference code (op.1.weight, ...).
        RegisterModule("op", new Sequential(new ReLU(), _depthwise, _pointwise, _bn));
    }

    /// <remarks>The ReLU is fused into the depthwise convolution (<see cref="Conv2d.ForwardOfRelu"/>): the
    /// same function and gradients as the registered Sequential, one activation fewer to write, keep and read back.
    /// Without the tape each intermediate goes back to the pool as soon as the next layer has read it
    /// (<see cref="Tensor.Consumed"/>), so the next layer writes into a buffer still in cache.</remarks>
    public override Tensor Forward(Tensor input)
    {
        var beforeNorm = ForwardBeforeNorm(input);
        return Tensor.Consumed(beforeNorm, _bn.Forward(beforeNorm));
    }

    public BatchNorm2d? TailNorm => _bn;

    public Tensor ForwardBeforeNorm(Tensor input)
    {
        var head = _depthwise.ForwardOfRelu(input);
        return Tensor.Consumed(head, ContinueBeforeNorm(head));
    }

    public Conv2d Head => _depthwise;

    public Tensor ContinueBeforeNorm(Tensor headOutput) => _pointwise.Forward(headOutput);

    public Tensor ContinueBeforeNormBatchMinor(Tensor headOutput, int height, int width) =>
        Functional.BatchMinor.PointwiseConv2d(headOutput, _pointwise.Weight);

    /// <summary><see cref="ForwardBeforeNorm"/> on batch-minor activations (stride 1 only).</summary>
    /// <remarks>The ReLU is fused into the depthwise convolution
    /// (<see cref="Functional.BatchMinor.ReluDepthwiseConv2d"/>), as in the NCHW path. This is the middle ReLU of a
    /// <see cref="SepConv"/>: the convolution keeps the first block's batch norm output, which that norm's backward
    /// keeps anyway, instead of a relu of it.</remarks>
    public Tensor ForwardBeforeNormBatchMinor(Tensor input, int height, int width)
    {
        var head = Functional.BatchMinor.ReluDepthwiseConv2d(input, _depthwise.Weight, height, width,
            _depthwise.Padding, _depthwise.Dilation);
        return Tensor.Consumed(head, ContinueBeforeNormBatchMinor(head, height, width));
    }

    /// <summary><see cref="ContinueFromHead"/> on batch-minor activations (stride 1 only).</summary>
    public Tensor ContinueFromHeadBatchMinor(Tensor headOutput, int height, int width)
    {
        var beforeNorm = ContinueBeforeNormBatchMinor(headOutput, height, width);
        return Tensor.Consumed(beforeNorm, _bn.Forward(beforeNorm));
    }

    /// <summary>The whole operation from its head's output: <c>Forward(x) = ContinueFromHead(Head(relu(x)))</c>.
    /// </summary>
    public Tensor ContinueFromHead(Tensor headOutput)
    {
        var beforeNorm = ContinueBeforeNorm(headOutput);
        return Tensor.Consumed(beforeNorm, _bn.Forward(beforeNorm));
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>Two stacked <see cref="DilConv"/> blocks with dilation 1, the first carrying the stride
/// (darts.md §1.2, <c>sep_conv</c>).</summary>
public sealed class SepConv : Module<Tensor, Tensor>, IReluDepthwiseHead
{
    private readonly DilConv _first;
    private readonly DilConv _second;

    public SepConv(int inChannels, int outChannels, int kernel, int stride, int padding, bool affine, Generator generator)
    {
        _first = new DilConv(inChannels, inChannels, kernel, stride, padding, 1, affine, generator);
        _second = new DilConv(inChannels, outChannels, kernel, 1, padding, 1, affine, generator);
        RegisterModule("first", _first);
        RegisterModule("second", _second);
    }

    /// <remarks>Without the tape the first block's output goes back to the pool once the second has read it
    /// (<see cref="Tensor.Consumed"/>).</remarks>
    public override Tensor Forward(Tensor input)
    {
        var first = _first.Forward(input);
        return Tensor.Consumed(first, _second.Forward(first));
    }

    public BatchNorm2d? TailNorm => _second.TailNorm;

    public Tensor ForwardBeforeNorm(Tensor input)
    {
        var first = _first.Forward(input);
        return Tensor.Consumed(first, _second.ForwardBeforeNorm(first));
    }

    public Conv2d Head => _first.Head;

    public Tensor ContinueBeforeNorm(Tensor headOutput)
    {
        var first = _first.ContinueFromHead(headOutput);
        return Tensor.Consumed(first, _second.ForwardBeforeNorm(first));
    }

    public Tensor ContinueBeforeNormBatchMinor(Tensor headOutput, int height, int width)
    {
        var first = _first.ContinueFromHeadBatchMinor(headOutput, height, width);
        return Tensor.Consumed(first, _second.ForwardBeforeNormBatchMinor(first, height, width));
    }
}

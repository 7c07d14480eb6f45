using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>ReLU → Conv k×k (no bias) → BN: DARTS's cell pre-processing block.</summary>
public sealed class ReluConvBn : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;

    public ReluConvBn(int inChannels, int outChannels, int kernel, int stride, int padding, bool affine, Generator generator)
    {
        _conv = new Conv2d(inChannels, outChannels, kernel, generator, stride, padding, bias: false);
        _bn = new BatchNorm2d(outChannels, affine: affine);
        RegisterModule("op", new Sequential(new ReLU(), _conv, _bn));
    }

    /// <remarks>The ReLU is fused into the convolution (<see cref="Functional.ReluConv2d"/>): the same function and
    /// gradients as the registered Sequential, without writing, keeping and re-reading relu(input), which in the
    /// evaluation network is a 4C-channel cell output.</remarks>
    public override Tensor Forward(Tensor input)
    {
        var conv = _conv.ForwardOfRelu(input);
        return Tensor.Consumed(conv, _bn.Forward(conv));
    }
}

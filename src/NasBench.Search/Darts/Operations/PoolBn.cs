using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>3×3 max or average pooling (padding 1, padding excluded from averages), followed in the search network
/// only by a BN without affine parameters (darts.md §1.2).</summary>
public sealed class PoolBn : Module<Tensor, Tensor>, IBatchNormTail
{
    private readonly bool _max;
    private readonly int _stride;
    private readonly BatchNorm2d? _bn;

    public PoolBn(bool max, int channels, int stride, bool withBatchNorm)
    {
        _max = max;
        _stride = stride;
        if (withBatchNorm)
        {
            _bn = new BatchNorm2d(channels, affine: false);
            RegisterModule("bn", _bn);
        }
    }

    public BatchNorm2d? TailNorm => _bn;

    public override Tensor Forward(Tensor input)
    {
        var y = ForwardBeforeNorm(input);
        return _bn is null ? y : Tensor.Consumed(y, _bn.Forward(y));
    }

    public Tensor ForwardBeforeNorm(Tensor input) =>
        _max ? Functional.MaxPool2d(input, 3, _stride, 1) : Functional.AvgPool2d(input, 3, _stride, 1);

    /// <summary><see cref="ForwardBeforeNorm"/> on batch-minor activations [1, C, H·W, N]
    /// (<see cref="Functional.BatchMinor"/>).</summary>
    public Tensor ForwardBeforeNormBatchMinor(Tensor input, int height, int width) =>
        _max
            ? Functional.BatchMinor.MaxPool3x3(input, height, width, _stride)
            : Functional.BatchMinor.AvgPool3x3(input, height, width, _stride);
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Depthwise 3×3 convolution (padding 1) → batch norm → Swish. Never split itself: when its input channel
/// is split the filter and BN channel are duplicated, not halved (splitting.md §1.5 step 4).</summary>
/// <remarks>Input [N, C, H, W] → [N, C, ⌈H/s⌉, ⌈W/s⌉].</remarks>
public sealed class DepthwiseUnit : GrowableUnit
{
    private Parameter _weight = null!;

    public DepthwiseUnit(int channels, int stride, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Stride = stride;
        var w = new Parameter(channels, 1, 3, 3);
        Init.KaimingNormal(w, generator);
        SetWeight(w);
        Norm = new UnitBatchNorm(channels);
        RegisterModule("bn", Norm);
    }

    public int Stride { get; }

    public UnitBatchNorm Norm { get; }

    public Parameter Weight => _weight;

    public override int InWidth => _weight.Shape[0];

    public override int OutWidth => _weight.Shape[0];

    public override ChannelRole Role => ChannelRole.PerChannel;

    public override UnitSpec Spec => new(UnitKinds.Depthwise, 0, 3, Stride);

    public override Tensor Forward(Tensor x, ProbeSlot? probe) => SmoothActivation.Swish(
        Norm.Forward(Functional.Conv2d(x, _weight, null, Stride, 1, 1, OutWidth), IsTraining));

    public override void FollowInputSplit(int[] map, float[] scale)
    {
        SetWeight(ChannelGather.NewParameter(ChannelGather.Rows(_weight, map), map.Length, 1, 3, 3));
        Norm.Gather(map);
    }

    private void SetWeight(Parameter w)
    {
        _weight = w;
        RegisterParameter("weight", w);
    }
}

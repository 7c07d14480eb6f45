using NasBench.Tensors;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Global average pooling: [N, C, H, W] → [N, C].</summary>
public sealed class GlobalPoolUnit(int channels) : GrowableUnit
{
    private int _channels = channels;

    public override int InWidth => _channels;

    public override int OutWidth => _channels;

    public override ChannelRole Role => ChannelRole.PassThrough;

    public override UnitSpec Spec => new(UnitKinds.GlobalPool);

    public override Tensor Forward(Tensor x, ProbeSlot? probe) =>
        Functional.AdaptiveAvgPool2d(x).Reshape(x.Shape[0], x.Shape[1]);

    public override void FollowInputSplit(int[] map, float[] scale) => _channels = map.Length;
}

using NasBench.Tensors;

namespace NasBench.Search.Splitting.Networks;

/// <summary>2×2 max pooling, stride 2 (floor). [N, C, H, W] → [N, C, ⌊H/2⌋, ⌊W/2⌋].</summary>
public sealed class MaxPoolUnit(int channels) : GrowableUnit
{
    private int _channels = channels;

    public override int InWidth => _channels;

    public override int OutWidth => _channels;

    public override ChannelRole Role => ChannelRole.PassThrough;

    public override UnitSpec Spec => new(UnitKinds.MaxPool);

    public override Tensor Forward(Tensor x, ProbeSlot? probe) => Functional.MaxPool2d(x, 2);

    public override void FollowInputSplit(int[] map, float[] scale) => _channels = map.Length;
}

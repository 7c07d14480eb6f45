using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>One stage of a <see cref="GrowableNetwork"/>: it knows its width and how to follow a split of the channels
/// it consumes.</summary>
public abstract class GrowableUnit : Module
{
    /// <summary>Channels (or features) this unit reads.</summary>
    public abstract int InWidth { get; }

    /// <summary>Channels (or features) this unit produces.</summary>
    public abstract int OutWidth { get; }

    /// <summary>How this unit reacts when the unit producing its input splits a channel.</summary>
    public abstract ChannelRole Role { get; }

    /// <summary>The unit's entry in the architecture description.</summary>
    public abstract UnitSpec Spec { get; }

    /// <summary>Forward pass; <paramref name="probe"/> is non-null only on splittable units during a split-aware pass.
    /// </summary>
    public abstract Tensor Forward(Tensor x, ProbeSlot? probe);

    /// <summary>Follow a split of the input channels: input channel c' is now a copy of old channel
    /// <c>map[c']</c> with output weight <c>scale[c']</c>.</summary>
    /// <remarks>Mixing units multiply the duplicated input slices by the scale; per-channel units duplicate the
    /// channel unscaled; pass-through units do nothing.</remarks>
    public abstract void FollowInputSplit(int[] map, float[] scale);
}

namespace NasBench.Search.Splitting.Networks;

/// <summary>What a unit does with the channels of the unit before it, which decides how it is rewired when a
/// producer channel is split (splitting.md §1.5 steps 3–4).</summary>
public enum ChannelRole
{
    /// <summary>Mixes channels (conv, linear, classifier): the input slice of a split channel is duplicated and each
    /// copy multiplied by its output weight (½ for S2D).</summary>
    Mixing,

    /// <summary>Acts per channel (depthwise conv + BN): the channel is duplicated, not scaled; the scaling happens in
    /// the next mixing unit.</summary>
    PerChannel,

    /// <summary>Does not look at individual channels (pooling).</summary>
    PassThrough,
}

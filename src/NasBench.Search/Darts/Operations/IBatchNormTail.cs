using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>A candidate operation whose last layer is a batch norm. <see cref="Supernet.MixedOp"/> runs such a
/// candidate only up to the norm and folds the norm into its weighted sum
/// (<see cref="Functional.NormalizedWeightedSum"/>), so the normalised output is never written or kept.</summary>
public interface IBatchNormTail
{
    /// <summary>The final norm; null where this instance has none (a pool in the evaluation network).</summary>
    BatchNorm2d? TailNorm { get; }

    /// <summary>The operation's output before <see cref="TailNorm"/>: <c>Forward(x) = TailNorm(ForwardBeforeNorm(x))</c>.
    /// </summary>
    Tensor ForwardBeforeNorm(Tensor input);
}

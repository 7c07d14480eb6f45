using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>A candidate operation that starts with ReLU → depthwise convolution of its input (DARTS's separable and
/// dilated convolutions). <see cref="Supernet.MixedOp"/> runs the heads of all such candidates of an edge as one
/// kernel pass (<see cref="Functional.ReluDepthwiseConv2dShared"/>), which copies each input plane once instead of
/// once per candidate, and continues each candidate from its head's output.</summary>
public interface IReluDepthwiseHead : IBatchNormTail
{
    /// <summary>The first depthwise convolution (no bias); it is applied to relu(input).</summary>
    Conv2d Head { get; }

    /// <summary>The rest of the operation up to <see cref="IBatchNormTail.TailNorm"/>:
    /// <c>ForwardBeforeNorm(x) = ContinueBeforeNorm(Head(relu(x)))</c>.</summary>
    Tensor ContinueBeforeNorm(Tensor headOutput);

    /// <summary><see cref="ContinueBeforeNorm"/> on batch-minor activations [1, C, H·W, N] of an
    /// <paramref name="height"/>×<paramref name="width"/> map (<see cref="Functional.BatchMinor"/>); stride 1 only.
    /// </summary>
    Tensor ContinueBeforeNormBatchMinor(Tensor headOutput, int height, int width);
}

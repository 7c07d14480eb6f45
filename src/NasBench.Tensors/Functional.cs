using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

/// <summary>Stateless neural-network ops (PyTorch's <c>torch.nn.functional</c>); modules in <c>Nn</c> call these.
/// </summary>
public static partial class Functional
{
    /// <summary>2-D convolution.</summary>
    /// <remarks>input [N, C_in, H, W], weight [C_out, C_in / groups, KH, KW], bias [C_out] or null →
    /// [N, C_out, OH, OW] with <c>OH = (H + 2·pad − dil·(KH − 1) − 1) / stride + 1</c>.</remarks>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1) =>
        Conv2dOp.Forward(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with separate vertical and horizontal geometry.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation, int groups) =>
        Conv2dOp.Forward(input, weight, bias, stride, padding, dilation, groups);

    /// <summary>2-D convolution of relu(input), fused: relu(input) is never materialised (DARTS's ReLU → conv → BN
    /// pre-processing and factorized reduce, darts.md §1.2). Same value and gradients as
    /// <c>Conv2d(Relu(input), weight, bias, stride, padding, dilation, groups)</c>, bit for bit.</summary>
    /// <remarks>Saves writing and re-reading relu(input), and keeping it for backward: the convolution keeps its input
    /// anyway, and the ReLU's mask is recomputed from it.</remarks>
    public static Tensor ReluConv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1) =>
        Conv2dOp.Forward(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups,
            reluInput: true);

    /// <summary>Depthwise convolution of relu(input), fused: relu(input) is never materialised (the DARTS
    /// ReLU → depthwise pair, darts.md §1.2). Same value and gradients as
    /// <c>Conv2d(Relu(input), weight, bias, stride, padding, dilation, groups: C)</c>.</summary>
    /// <remarks>input [N, C, H, W], weight [C, 1, KH, KW], bias [C] or null → [N, C, OH, OW].</remarks>
    public static Tensor ReluDepthwiseConv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1,
        int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ShapeChecks.Rank("ReluDepthwiseConv2d", "input", input, 4, "[N, C, H, W]");
        return Conv2dOp.Forward(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation),
            input.Shape[1], reluInput: true);
    }

    /// <summary>Several depthwise convolutions of relu(input), one per weight, with their own padding and dilation and
    /// a common stride; the input is read and padded once for all of them (the first stage of DARTS's four separable
    /// and dilated candidates of an edge). Same values and gradients as one
    /// <see cref="ReluDepthwiseConv2d"/> per weight.</summary>
    /// <remarks>input [N, C, H, W]; weights[b] [C, 1, KH_b, KW_b], no bias; every convolution must give the same
    /// output size.</remarks>
    public static Tensor[] ReluDepthwiseConv2dShared(Tensor input, ReadOnlySpan<Tensor> weights,
        ReadOnlySpan<int> paddings, ReadOnlySpan<int> dilations, int stride = 1) =>
        Conv2dOp.DepthwiseShared(input, weights, paddings, dilations, stride, reluInput: true);

    /// <summary>y = x · Wᵀ + b.</summary>
    /// <remarks>input [B, in], weight [out, in], bias [out] or null → [B, out].</remarks>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        MatMulOp.Linear(input, weight, bias);

    /// <summary>Batch normalisation over dimension 1.</summary>
    /// <remarks>input [N, C] or [N, C, H, W]; weight, bias, running statistics [C] or null. In training the
    /// running statistics (when given) are updated in place: <c>r = (1 − momentum)·r + momentum·batch</c>.</remarks>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null,
        Tensor? bias = null, bool training = false, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNormOp.Forward(input, runningMean, runningVar, weight, bias, training, momentum, eps);

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor input) => ReluOp.Forward(input);

    /// <summary>Max pooling over k×k windows; [N, C, H, W] → [N, C, OH, OW].</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0) =>
        PoolOp.MaxPool2d(input, kernelSize, stride ?? kernelSize, padding);

    /// <summary>Average pooling over k×k windows, padding excluded from the count.</summary>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0) =>
        PoolOp.AvgPool2d(input, kernelSize, stride ?? kernelSize, padding);

    /// <summary>Adaptive average pooling to 1×1: [N, C, H, W] → [N, C, 1, 1].</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize = 1) => outputSize == 1
        ? PoolOp.GlobalAvgPool(input)
        : throw new NotSupportedException($"AdaptiveAvgPool2d supports output size 1 only, got {outputSize}.");

    /// <summary>Inverted dropout with probability <paramref name="p"/> (identity when not training).</summary>
    public static Tensor Dropout(Tensor input, float p, bool training, Generator generator) =>
        DropoutOp.Forward(input, p, training, generator);

    /// <summary>Softmax over the last dimension.</summary>
    public static Tensor Softmax(Tensor input) => SoftmaxOp.Softmax(input);

    /// <summary>Log-softmax over the last dimension.</summary>
    public static Tensor LogSoftmax(Tensor input) => SoftmaxOp.LogSoftmax(input);

    /// <summary>Mean cross-entropy of softmax(logits) against integer class labels.</summary>
    /// <remarks>logits [N, classes], labels N values in [0, classes) → scalar.</remarks>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> labels) =>
        CrossEntropyOp.Forward(logits, labels);

    /// <summary>Concatenation along <paramref name="dim"/>.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 1) => ShapeOp.Cat(tensors, dim);

    /// <summary>The DARTS mixed op: <c>Σ_k weights[k] · xs[k]</c>.</summary>
    /// <remarks>xs: K tensors of one shape; weights [K] → that shape. Gradients flow to both the inputs and the
    /// weights (architecture parameters).</remarks>
    public static Tensor WeightedSum(IReadOnlyList<Tensor> xs, Tensor weights) => WeightedSumOp.Forward(xs, weights);

    /// <summary>The DARTS mixed op over candidates whose last layer is a non-affine batch norm:
    /// <c>Σ_k weights[k] · norms[k](xs[k])</c>, with a null norm meaning the identity.</summary>
    /// <remarks>xs: K tensors [N, C, H, W] of one shape (the candidates' outputs before their norms); weights [K] →
    /// that shape. Same values, gradients and running-statistics updates as calling each norm and then
    /// <see cref="WeightedSum"/>, but the normalised tensors are never written: the norms are folded into one fused
    /// pass (NormalizedMixedOpKernel). Each norm's mode (training or evaluation) is respected.</remarks>
    /// <param name="addend">Added to the sum (same shape as xs; the same values bit for bit as a separate add), or
    /// null: a cell node's running sum, which the kernel reads while the row is in registers instead of a separate
    /// add that writes and reads the edge output.</param>
    /// <param name="gradientOnly">True when the caller never reads the output's values, only backpropagates through
    /// it: the function an <see cref="ActivationCheckpoint"/> recomputes (told by
    /// <see cref="ActivationCheckpoint.Run(Func{Tensor[], bool, Tensor}, Tensor[])"/>). Where the checkpoint replays
    /// the batch statistics, the output is then left unwritten; the backward is the same.</param>
    public static Tensor NormalizedWeightedSum(IReadOnlyList<Tensor> xs, Tensor weights,
        IReadOnlyList<Nn.BatchNorm2d?> norms, Tensor? addend = null, bool gradientOnly = false) =>
        NormalizedWeightedSumOp.Forward(xs, weights, norms, addend, gradientOnly);

    /// <summary>Drop-path: zero each sample with probability <paramref name="p"/> in training, scale survivors by
    /// 1/(1 − p); identity in evaluation.</summary>
    /// <remarks>input [N, ...] → same shape.</remarks>
    public static Tensor DropPath(Tensor input, float p, bool training, Generator generator) =>
        DropPathOp.Forward(input, p, training, generator);
}

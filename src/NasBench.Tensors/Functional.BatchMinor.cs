using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

public static partial class Functional
{
    /// <summary>The operations of a DARTS edge on batch-minor activations, [1, C, H·W, N] with the images innermost.
    /// </summary>
    /// <remarks>On small maps (14×14, 7×7) NCHW rows are narrower than a vector; with the images in the vector lanes
    /// every lane is useful and a 1×1 convolution is one wide matrix product instead of one narrow product per image.
    /// Batch norms, ReLU and the folded weighted sum take these tensors as they are: dimension 1 is still the channel
    /// and each channel's elements are still one contiguous plane. Values equal the NCHW operations' up to float
    /// rounding (sums run in another order).</remarks>
    public static class BatchMinor
    {
        /// <summary>[N, C, H, W] → [1, C, H·W, N].</summary>
        public static Tensor From(Tensor input) => BatchMinorOp.ToBatchMinor(input);

        /// <summary>[1, C, H·W, N] → [N, C, H, W], plus <paramref name="addend"/> ([N, C, H, W]) when given.</summary>
        /// <param name="gradientOnly">As for <see cref="NormalizedWeightedSum"/>: the values are never read, so
        /// they are not written.</param>
        public static Tensor To(Tensor input, int height, int width, Tensor? addend = null,
            bool gradientOnly = false) => BatchMinorOp.FromBatchMinor(input, height, width, addend, gradientOnly);

        /// <summary>Depthwise k×k convolution, no bias: input [1, C, H·W, N], weight [C, 1, k, k] →
        /// [1, C, OH·OW, N], OH = (H + 2·padding − dilation·(k − 1) − 1) / stride + 1.</summary>
        public static Tensor DepthwiseConv2d(Tensor input, Tensor weight, int height, int width, int padding,
            int dilation = 1, int stride = 1) =>
            BatchMinorOp.DepthwiseConv2d(input, weight, height, width, padding, dilation, stride);

        /// <summary><see cref="DepthwiseConv2d"/> of relu(input), fused: relu(input) is never materialised (the
        /// DARTS ReLU → depthwise pair on batch-minor activations). Same values and gradients as
        /// <c>DepthwiseConv2d(Relu(input), weight, ...)</c>, bit for bit.</summary>
        /// <remarks>Saves writing and re-reading relu(input), the ReLU's separate backward pass, and keeping
        /// relu(input) for backward: the convolution keeps input instead, which its producer keeps anyway.</remarks>
        public static Tensor ReluDepthwiseConv2d(Tensor input, Tensor weight, int height, int width, int padding,
            int dilation = 1, int stride = 1) =>
            BatchMinorOp.DepthwiseConv2d(input, weight, height, width, padding, dilation, stride, reluInput: true);

        /// <summary>1×1 convolution, no bias: input [1, C_in, P, N], weight [C_out, C_in, 1, 1] → [1, C_out, P, N].
        /// </summary>
        public static Tensor PointwiseConv2d(Tensor input, Tensor weight) =>
            BatchMinorOp.PointwiseConv2d(input, weight);

        /// <summary>Every other cell from (offset, offset): [1, C, H·W, N] → [1, C, ⌈H/2⌉·⌈W/2⌉, N], zero past the
        /// edge (offset 1 on an odd size): the two grids of a FactorizedReduce.</summary>
        public static Tensor Subsample2(Tensor input, int height, int width, int offset) =>
            BatchMinorOp.Subsample2(input, height, width, offset);

        /// <summary>3×3 max pooling, padding 1, stride 1 or 2: [1, C, H·W, N] → [1, C, OH·OW, N],
        /// OH = (H − 1) / stride + 1.</summary>
        public static Tensor MaxPool3x3(Tensor input, int height, int width, int stride = 1) =>
            BatchMinorOp.MaxPool3x3(input, height, width, stride);

        /// <summary>3×3 average pooling, padding 1 (left out of the count), stride 1 or 2.</summary>
        public static Tensor AvgPool3x3(Tensor input, int height, int width, int stride = 1) =>
            BatchMinorOp.AvgPool3x3(input, height, width, stride);
    }
}

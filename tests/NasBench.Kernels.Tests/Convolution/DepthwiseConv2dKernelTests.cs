using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

public class DepthwiseConv2dKernelTests
{
    // Batch, channels, H, W, k, stride, pad, dilation.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 1, 3, 7, 9, 3, 1, 1, 1 },
        { 3, 4, 7, 9, 3, 2, 1, 1 },
        { 3, 2, 9, 7, 5, 1, 2, 1 },
        { 3, 2, 9, 7, 5, 1, 4, 2 },
        { 1, 3, 11, 10, 5, 2, 4, 2 },
        { 3, 2, 8, 8, 7, 1, 3, 1 },
        { 1, 2, 7, 9, 1, 1, 0, 1 },
        { 3, 3, 9, 7, 3, 2, 0, 2 },
        { 3, 2, 7, 9, 3, 1, 0, 1 },
        { 1, 2, 5, 6, 3, 1, 3, 1 },
        { 1, 2, 10, 11, 3, 3, 1, 1 },
        { 2, 3, 28, 28, 5, 1, 4, 2 },
        { 2, 3, 28, 28, 3, 1, 1, 1 },
        { 2, 3, 14, 14, 3, 2, 1, 1 },
        { 1, 2, 3, 2, 3, 2, 1, 1 },
        { 10, 2, 6, 5, 3, 1, 1, 2 },
        // Many small planes: images are stacked eight to a scratch plane, with a partial last block.
        { 21, 3, 7, 7, 5, 1, 2, 1 },
        { 19, 2, 14, 14, 3, 2, 1, 1 },
        { 17, 2, 7, 7, 5, 2, 4, 2 },
        // More (channel, image block) units than chunks, with taps run per image (7×7 padded by 4): a chunk's later
        // units reuse the tap pointers its earlier units moved image by image.
        { 17, 40, 7, 7, 5, 1, 4, 2 },
        // The same for output rows written directly (28×28, two images per block): a chunk's later units reuse the
        // tap pointers the row sums moved image by image.
        { 4, 40, 28, 28, 3, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void All_passes_match_reference(int n, int c, int h, int w, int k, int stride, int pad, int dil) =>
        ConvolutionPasses.Depthwise.MatchReference(ConvolutionData.Shape(n, c, h, w, c, k, stride, pad, dil, c), 13);

    [Fact]
    public void Non_square_kernel_and_per_axis_stride_padding_dilation_match_reference() =>
        ConvolutionPasses.Depthwise.MatchReference(new Conv2dShape(3, 4, 9, 11, 4, 3, 5, StrideH: 1, StrideW: 2,
            PadH: 2, PadW: 1, DilationH: 2, DilationW: 1, Groups: 4), 23);

    [Fact]
    public void Dense_kernel_agrees_with_depthwise_kernel_on_depthwise_shapes()
    {
        var s = ConvolutionData.Shape(2, 3, 9, 8, 3, 5, 1, 4, 2, 3);
        var x = ConvolutionData.Random(s.InputLength, 1);
        var w = ConvolutionData.Random(s.WeightLength, 2);
        var dense = new float[s.OutputLength];
        var depthwise = new float[s.OutputLength];
        Conv2dKernel.Forward(s, x, w, [], dense);
        DepthwiseConv2dKernel.Forward(s, x, w, [], depthwise);
        ConvolutionData.AssertClose(dense, depthwise, "y");
    }

    [Theory]
    [InlineData(3, 1, 1, 1)]
    [InlineData(5, 1, 4, 2)]
    [InlineData(3, 2, 1, 1)]
    public void One_and_two_threads_are_bit_identical(int k, int stride, int pad, int dil) =>
        ConvolutionPasses.Depthwise.BitIdenticalAcrossThreads(
            ConvolutionData.Shape(19, 3, 12, 11, 3, k, stride, pad, dil, 3), 43);
}

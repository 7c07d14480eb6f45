using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

public class PointwiseConvKernelTests
{
    /// <summary>Batch, Cin, H, W, Cout: H·W of exactly one vector, with a masked tail (21, 49, 81 = 64 + 17), whole
    /// 64-pixel tiles (28×28 = 12·64 + 16), channels not a multiple of the 4-row tile, and the DARTS 16→16.</summary>
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 3, 4, 4, 4, 8 },
        { 2, 5, 3, 7, 3 },
        { 2, 13, 7, 7, 9 },
        { 1, 8, 9, 9, 20 },
        { 2, 3, 1, 70, 6 },
        { 2, 16, 28, 28, 16 },
        { 2, 32, 14, 14, 30 },
        { 9, 1, 5, 5, 1 },
    };

    [Vector512Theory]
    [MemberData(nameof(Shapes))]
    public void All_passes_match_reference(int n, int cin, int h, int w, int cout) =>
        ConvolutionPasses.Pointwise.MatchReference(new Conv2dShape(n, cin, h, w, cout, 1, 1), 51);

    /// <summary>11 and 9 images: backward-weight's 8 fixed chunks hold unequal image counts.</summary>
    [Vector512Theory]
    [InlineData(11, 6, 7, 9, 5)]
    [InlineData(9, 16, 14, 14, 16)]
    public void One_and_two_threads_are_bit_identical(int n, int cin, int h, int w, int cout) =>
        ConvolutionPasses.Pointwise.BitIdenticalAcrossThreads(new Conv2dShape(n, cin, h, w, cout, 1, 1), 61);

    [Theory]
    [InlineData(3, 1, 0, 1)] // 3×3 kernel
    [InlineData(1, 2, 0, 1)] // stride 2
    [InlineData(1, 1, 1, 1)] // padded
    [InlineData(1, 1, 0, 2)] // grouped
    public void Shapes_it_does_not_compute_throw_ArgumentException(int k, int stride, int pad, int groups)
    {
        var s = new Conv2dShape(2, 4, 8, 8, 4, k, k, stride, stride, pad, pad, 1, 1, groups);
        var big = new float[4096];
        Assert.False(PointwiseConvKernel.Supports(s));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.Forward(s, big, big, [], big));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.BackwardData(s, big, big, big, false));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.BackwardWeight(s, big, big, big, [], false));
    }

    [Vector512Fact]
    public void Fewer_than_16_pixels_and_short_spans_throw_ArgumentException()
    {
        var small = new Conv2dShape(1, 4, 3, 5, 4, 1, 1);
        var big = new float[4096];
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.Forward(small, big, big, [], big));
        var s = new Conv2dShape(2, 4, 4, 4, 8, 1, 1);
        var x = new float[s.InputLength];
        var w = new float[s.WeightLength];
        var y = new float[s.OutputLength];
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.Forward(s, x.AsSpan(1), w, [], y));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.Forward(s, x, w.AsSpan(1), [], y));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.Forward(s, x, w, new float[3], y));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.BackwardData(s, y, w, x.AsSpan(1), true));
        Assert.Throws<ArgumentException>(() => PointwiseConvKernel.BackwardWeight(s, x, y, w, new float[3], true));
    }

    /// <summary>Conv2dKernel hands the shapes the direct kernel won on to it (same bits), and keeps the GEMM path
    /// when told to (same values within float rounding).</summary>
    [Vector512Fact]
    public void Conv2dKernel_dispatches_where_the_direct_kernel_is_preferred()
    {
        var s = new Conv2dShape(3, 32, 14, 14, 32, 1, 1);
        Assert.True(PointwiseConvKernel.Prefers(s, PointwiseConvKernel.Pass.Forward));
        var x = ConvolutionData.Random(s.InputLength, 71);
        var w = ConvolutionData.Random(s.WeightLength, 72);
        var (direct, dispatched, gemm) = (new float[s.OutputLength], new float[s.OutputLength],
            new float[s.OutputLength]);
        PointwiseConvKernel.Forward(s, x, w, [], direct);
        Conv2dKernel.Forward(s, x, w, [], dispatched);
        PointwiseConvKernel.t_forceGemm = true;
        try
        {
            Conv2dKernel.Forward(s, x, w, [], gemm);
        }
        finally
        {
            PointwiseConvKernel.t_forceGemm = false;
        }
        ConvolutionData.AssertBitIdentical(direct, dispatched, "y");
        ConvolutionData.AssertClose(gemm, direct, "y");
    }
}

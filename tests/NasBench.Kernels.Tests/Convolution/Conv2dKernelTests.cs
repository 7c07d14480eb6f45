using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

public class Conv2dKernelTests
{
    // Batch, Cin, H, W, Cout, k, stride, pad, dilation, groups.
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 1, 3, 7, 9, 4, 3, 1, 1, 1, 1 },
        { 3, 4, 7, 9, 6, 3, 2, 1, 1, 2 },
        { 3, 2, 9, 7, 5, 5, 1, 2, 1, 1 },
        { 1, 4, 8, 8, 4, 3, 1, 2, 2, 4 },
        { 3, 4, 7, 9, 8, 1, 1, 0, 1, 1 },
        { 3, 4, 7, 9, 8, 1, 2, 0, 1, 2 },
        { 3, 4, 7, 9, 8, 1, 1, 1, 1, 1 },
        { 1, 3, 11, 10, 2, 7, 1, 3, 1, 1 },
        { 3, 6, 9, 9, 4, 3, 2, 0, 2, 2 },
        { 3, 2, 7, 9, 3, 3, 1, 0, 1, 1 },
        { 1, 2, 5, 6, 3, 3, 1, 3, 1, 1 },
        { 3, 6, 7, 9, 6, 5, 2, 2, 2, 6 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void All_passes_match_reference(int n, int c, int h, int w, int co, int k, int stride, int pad, int dil,
        int groups) =>
        ConvolutionPasses.Dense.MatchReference(ConvolutionData.Shape(n, c, h, w, co, k, stride, pad, dil, groups), 11);

    [Fact]
    public void Non_square_kernel_and_per_axis_stride_padding_dilation_match_reference() =>
        ConvolutionPasses.Dense.MatchReference(new Conv2dShape(3, 4, 9, 11, 6, 3, 5, StrideH: 1, StrideW: 2,
            PadH: 2, PadW: 1, DilationH: 2, DilationW: 1, Groups: 2), 21);

    /// <summary>Cin·k²·OW large enough that im2col is cut into several bands of output rows.</summary>
    [Fact]
    public void Banded_im2col_matches_reference()
    {
        var s = ConvolutionData.Shape(2, 32, 32, 32, 8, 3, 1, 1, 1, 1);
        Assert.True((long)32 * 9 * s.OutWidth * s.OutHeight > Conv2dKernel.BandFloats);
        ConvolutionPasses.Dense.MatchReference(s, 31);
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(3, 2, 2)]
    public void One_and_two_threads_are_bit_identical(int k, int pad, int groups) =>
        ConvolutionPasses.Dense.BitIdenticalAcrossThreads(ConvolutionData.Shape(11, 4, 9, 7, 6, k, 1, pad, 1, groups),
            41);
}

using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary><see cref="DepthwiseConv2dKernel.Backward"/>: both gradients in one pass must be, bit for bit, what
/// <see cref="DepthwiseConv2dKernel.BackwardData"/> and <see cref="DepthwiseConv2dKernel.BackwardWeight"/> give
/// (which their own tests check against the reference and finite differences), at any thread count.</summary>
public class FusedDepthwiseBackwardTests
{
    /// <summary>n, c, h, w, kernel, stride, padding, dilation: DARTS's four depthwise kinds at stride 1 and 2, odd
    /// and small maps (stacked images), a kernel larger than the map.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 3, 4, 28, 28, 3, 1, 1, 1 },
        { 3, 4, 28, 28, 5, 2, 2, 1 },
        { 9, 3, 14, 14, 3, 1, 2, 2 },
        { 19, 2, 7, 7, 5, 1, 4, 2 },
        { 5, 3, 11, 9, 3, 2, 1, 1 },
        { 2, 2, 3, 4, 5, 1, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fused_backward_equals_the_two_passes_bit_for_bit(int n, int c, int h, int w, int k, int stride,
        int pad, int dilation)
    {
        var s = ConvolutionData.Shape(n, c, h, w, c, k, stride, pad, dilation, c);
        var x = ConvolutionData.Random(s.InputLength, 1);
        var dy = ConvolutionData.Random(s.OutputLength, 2);
        var weight = ConvolutionData.Random(s.WeightLength, 3);
        Assert.Contains(x, v => v < 0); // so the fused ReLU's mask matters
        foreach (bool relu in new[] { false, true })
        {
            foreach (bool withBias in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    // Accumulating onto non-zero gradients, with different flags for dx and dW.
                    var dx0 = ConvolutionData.Random(s.InputLength, 4);
                    var dw0 = ConvolutionData.Random(s.WeightLength, 5);
                    var db0 = withBias ? ConvolutionData.Random(c, 6) : [];
                    var (dxA, dwA, dbA) = ((float[])dx0.Clone(), (float[])dw0.Clone(), (float[])db0.Clone());
                    DepthwiseConv2dKernel.BackwardData(s, dy, weight, dxA, accumulate, relu ? x : []);
                    DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dwA, dbA, !accumulate, relu);
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var (dxB, dwB, dbB) = ((float[])dx0.Clone(), (float[])dw0.Clone(), (float[])db0.Clone());
                        using (CpuParallel.Limit(threads))
                        {
                            DepthwiseConv2dKernel.Backward(s, x, dy, weight, dxB, accumulate, dwB, dbB, !accumulate,
                                relu);
                        }
                        string what = $"relu {relu}, bias {withBias}, accumulate {accumulate}, {threads} thread(s)";
                        ConvolutionData.AssertBitIdentical(dxA, dxB, $"dx ({what})");
                        ConvolutionData.AssertBitIdentical(dwA, dwB, $"dw ({what})");
                        ConvolutionData.AssertBitIdentical(dbA, dbB, $"dbias ({what})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Short_buffers_are_named()
    {
        var s = ConvolutionData.Shape(2, 3, 6, 6, 3, 3, 1, 1, 1, 3);
        var x = new float[s.InputLength];
        var dy = new float[s.OutputLength];
        var w = new float[s.WeightLength];
        var ex = Assert.Throws<ArgumentException>(() => DepthwiseConv2dKernel.Backward(s, x, dy, w,
            new float[s.InputLength - 1], false, new float[s.WeightLength], [], false));
        Assert.Equal("dx", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => DepthwiseConv2dKernel.Backward(s, x, dy, w,
            new float[s.InputLength], false, new float[s.WeightLength - 1], [], false));
        Assert.Equal("dw", ex.ParamName);
    }
}

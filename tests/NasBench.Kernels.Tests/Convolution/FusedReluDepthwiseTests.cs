using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>The depthwise kernels with a fused input ReLU against the reference on an explicitly rectified input.
/// </summary>
public class FusedReluDepthwiseTests
{
    // Batch, channels, H, W, k, stride, pad, dilation: stride 1 and 2, dilation 2, widths below and above 16 and 32.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 3, 7, 9, 3, 1, 1, 1 },
        { 3, 2, 9, 7, 5, 1, 4, 2 },
        { 2, 3, 28, 28, 5, 1, 2, 1 },
        { 2, 3, 28, 28, 3, 2, 1, 1 },
        { 2, 2, 28, 28, 5, 2, 4, 2 },
        { 1, 2, 11, 41, 3, 2, 1, 1 },
        { 1, 2, 9, 70, 5, 2, 2, 1 },
        { 2, 2, 10, 11, 3, 3, 1, 1 },
        { 19, 3, 7, 7, 5, 1, 2, 1 },
        { 11, 2, 14, 14, 5, 2, 4, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fused_relu_passes_match_reference_on_relu_of_input(int n, int c, int h, int w, int k, int stride,
        int pad, int dil)
    {
        var s = ConvolutionData.Shape(n, c, h, w, c, k, stride, pad, dil, c);
        FusedReluReference.Check(s,
            (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> wt, ReadOnlySpan<float> b, Span<float> y) =>
                DepthwiseConv2dKernel.Forward(s, x, wt, b, y, reluInput: true),
            (in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> wt, Span<float> dx, bool acc,
                ReadOnlySpan<float> x) => DepthwiseConv2dKernel.BackwardData(s, dy, wt, dx, acc, reluInputOf: x),
            (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db) =>
                DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dw, db, accumulate: false, reluInput: true));
    }

    [Fact]
    public void Fused_relu_is_bit_identical_at_one_and_two_threads()
    {
        var s = ConvolutionData.Shape(19, 3, 12, 37, 3, 5, 2, 2, 1, 3);
        var x = ConvolutionData.Random(s.InputLength, 9);
        var wt = ConvolutionData.Random(s.WeightLength, 10);
        var dy = ConvolutionData.Random(s.OutputLength, 11);
        float[] Run(int threads, int pass)
        {
            using var limit = CpuParallel.Limit(threads);
            switch (pass)
            {
                case 0:
                    var y = new float[s.OutputLength];
                    DepthwiseConv2dKernel.Forward(s, x, wt, [], y, reluInput: true);
                    return y;
                case 1:
                    var dx = new float[s.InputLength];
                    DepthwiseConv2dKernel.BackwardData(s, dy, wt, dx, false, reluInputOf: x);
                    return dx;
                default:
                    var dw = new float[s.WeightLength];
                    DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dw, [], false, reluInput: true);
                    return dw;
            }
        }
        for (int pass = 0; pass < 3; pass++)
        {
            ConvolutionData.AssertBitIdentical(Run(1, pass), Run(2, pass), $"pass {pass}");
        }
    }
}

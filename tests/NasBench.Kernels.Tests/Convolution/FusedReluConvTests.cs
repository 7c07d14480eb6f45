using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>The dense convolution kernels with a fused input ReLU: against the reference on an explicitly rectified
/// input, and bit for bit against the unfused kernels run on a materialised relu(x) followed by the ReLU's backward.
/// </summary>
public class FusedReluConvTests
{
    // Batch, C_in, H, W, C_out, k, stride, pad, dilation, groups: 1×1 stride 1 on planes below and above 16 pixels
    // (x copied through the ReLU into scratch), the two 1×1 stride-2 paths of factorized reduce, a dilated grouped
    // 3×3, and a 3×3 whose im2col takes several bands.
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 2, 5, 3, 3, 3, 1, 1, 0, 1, 1 },
        { 3, 8, 14, 14, 6, 1, 1, 0, 1, 1 },
        { 2, 12, 7, 7, 4, 1, 1, 0, 1, 1 },
        { 2, 6, 9, 8, 4, 1, 2, 0, 1, 1 },
        { 2, 6, 9, 8, 4, 1, 2, 1, 1, 1 },
        { 2, 4, 11, 10, 6, 3, 2, 2, 2, 2 },
        { 2, 40, 30, 30, 8, 3, 1, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fused_relu_passes_match_reference_on_relu_of_input(int n, int ci, int h, int w, int co, int k,
        int stride, int pad, int dil, int groups)
    {
        var s = ConvolutionData.Shape(n, ci, h, w, co, k, stride, pad, dil, groups);
        FusedReluReference.Check(s,
            (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> wt, ReadOnlySpan<float> b, Span<float> y) =>
                Conv2dKernel.Forward(s, x, wt, b, y, reluInput: true),
            (in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> wt, Span<float> dx, bool acc,
                ReadOnlySpan<float> x) => Conv2dKernel.BackwardData(s, dy, wt, dx, acc, reluInputOf: x),
            (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db) =>
                Conv2dKernel.BackwardWeight(s, x, dy, dw, db, accumulate: false, reluInput: true));
    }

    /// <summary>The fused passes are the unfused passes on relu(x), bit for bit, at 1 and at 2 threads, including
    /// a 14×14 shape whose three passes the direct pointwise kernel takes.</summary>
    [Theory]
    [InlineData(2, 5, 3, 3, 3, 1, 1, 0, 1, 1)]
    [InlineData(2, 12, 7, 7, 4, 1, 1, 0, 1, 1)]
    [InlineData(2, 8, 14, 14, 6, 1, 1, 0, 1, 1)]
    [InlineData(3, 6, 9, 8, 4, 1, 2, 1, 1, 1)]
    [InlineData(2, 4, 11, 10, 6, 3, 2, 2, 2, 2)]
    [InlineData(2, 40, 30, 30, 8, 3, 1, 1, 1, 1)]
    public void Fused_relu_is_the_unfused_kernels_on_relu_of_input_bit_for_bit(int n, int ci, int h, int w, int co,
        int k, int stride, int pad, int dil, int groups)
    {
        var s = ConvolutionData.Shape(n, ci, h, w, co, k, stride, pad, dil, groups);
        var (x, relu, wt, bias, dy) = Data(s);
        foreach (int threads in new[] { 1, 2 })
        {
            using var limit = CpuParallel.Limit(threads);
            var yUnfused = new float[s.OutputLength];
            Conv2dKernel.Forward(s, relu, wt, bias, yUnfused);
            var y = new float[s.OutputLength];
            Conv2dKernel.Forward(s, x, wt, bias, y, reluInput: true);
            ConvolutionData.AssertBitIdentical(yUnfused, y, $"y, {threads} threads");

            foreach (bool accumulate in new[] { false, true })
            {
                var start = ConvolutionData.Random(s.InputLength, 9);
                var through = new float[s.InputLength];
                Conv2dKernel.BackwardData(s, dy, wt, through, accumulate: false);
                var dxUnfused = (float[])start.Clone();
                ActivationKernel.ReluBackward(x, through, dxUnfused, accumulate);
                var dx = (float[])start.Clone();
                Conv2dKernel.BackwardData(s, dy, wt, dx, accumulate, reluInputOf: x);
                ConvolutionData.AssertBitIdentical(dxUnfused, dx, $"dx (accumulate {accumulate}), {threads} threads");
            }

            var dwUnfused = new float[s.WeightLength];
            Conv2dKernel.BackwardWeight(s, relu, dy, dwUnfused, [], accumulate: false);
            var dw = new float[s.WeightLength];
            Conv2dKernel.BackwardWeight(s, x, dy, dw, [], accumulate: false, reluInput: true);
            ConvolutionData.AssertBitIdentical(dwUnfused, dw, $"dw, {threads} threads");
        }
    }

    [Fact]
    public void Relu_input_of_the_wrong_length_is_named()
    {
        var s = ConvolutionData.Shape(2, 4, 5, 5, 3, 1, 1, 0, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.BackwardData(s, new float[s.OutputLength],
            new float[s.WeightLength], new float[s.InputLength], false, reluInputOf: new float[s.InputLength - 1]));
        Assert.Contains("reluInputOf", ex.Message);
    }

    private static (float[] X, float[] Relu, float[] W, float[] Bias, float[] Dy) Data(in Conv2dShape s)
    {
        var x = ConvolutionData.Random(s.InputLength, 5);
        Assert.Contains(x, v => v < 0); // the mask must have something to do
        return (x, x.Select(v => MathF.Max(v, 0f)).ToArray(), ConvolutionData.Random(s.WeightLength, 6),
            ConvolutionData.Random(s.OutChannels, 7), ConvolutionData.Random(s.OutputLength, 10));
    }
}

using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

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
        var x = ConvolutionData.Random(s.InputLength, 5);
        var relu = x.Select(v => MathF.Max(v, 0f)).ToArray();
        Assert.Contains(x, v => v < 0); // the mask must have something to do
        var wt = ConvolutionData.Random(s.WeightLength, 6);
        var dy = ConvolutionData.Random(s.OutputLength, 7);

        var yExpected = new float[s.OutputLength];
        Conv2dReference.Forward(s, relu, wt, [], yExpected);
        var y = Enumerable.Repeat(float.NaN, s.OutputLength).ToArray();
        DepthwiseConv2dKernel.Forward(s, x, wt, [], y, reluInput: true);
        ConvolutionData.AssertClose(yExpected, y, "y");

        foreach (bool accumulate in new[] { false, true })
        {
            var start = accumulate ? ConvolutionData.Random(s.InputLength, 8) : new float[s.InputLength];
            var through = new float[s.InputLength];
            Conv2dReference.BackwardData(s, dy, wt, through, accumulate: false);
            var expected = new float[s.InputLength];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = start[i] + (x[i] > 0 ? through[i] : 0f);
            }
            var dx = accumulate ? (float[])start.Clone() : Enumerable.Repeat(float.NaN, s.InputLength).ToArray();
            DepthwiseConv2dKernel.BackwardData(s, dy, wt, dx, accumulate, reluInputOf: x);
            ConvolutionData.AssertClose(expected, dx, $"dx (accumulate {accumulate})");
        }

        var dwExpected = new float[s.WeightLength];
        var dbExpected = new float[c];
        Conv2dReference.BackwardWeight(s, relu, dy, dwExpected, dbExpected, accumulate: false);
        var dw = Enumerable.Repeat(float.NaN, s.WeightLength).ToArray();
        var db = Enumerable.Repeat(float.NaN, c).ToArray();
        DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dw, db, accumulate: false, reluInput: true);
        ConvolutionData.AssertClose(dwExpected, dw, "dw");
        ConvolutionData.AssertClose(dbExpected, db, "dbias");
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

using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary><see cref="BatchMinorDepthwiseKernel"/> with a fused input ReLU against the same kernel without it: the
/// forward and weight gradient on <see cref="ActivationKernel.Relu"/>(x), the data gradient passed through
/// <see cref="ActivationKernel.ReluBackward"/>. Bit for bit, at every vector width (a width the CPU lacks falls back
/// to the next, which is then run twice).</summary>
public class BatchMinorDepthwiseReluTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar];

    // Batch, channels, H, W, k, pad, dilation, stride: k 3 and 5, dilation 1 and 2, stride 1 and 2 (the strided data
    // gradient runs as a gather only when fused); batches of whole four-vector blocks (64), blocks plus a scalar tail
    // (70), one vector plus a tail (17, 33) and tails alone (1, 3, 5); odd planes and a plane narrower than the kernel.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 64, 2, 7, 7, 3, 1, 1, 1 },
        { 70, 2, 7, 7, 5, 2, 1, 1 },
        { 17, 2, 7, 7, 3, 2, 2, 1 },
        { 3, 2, 14, 14, 5, 4, 2, 1 },
        { 33, 1, 5, 9, 3, 1, 1, 1 },
        { 64, 2, 14, 14, 3, 1, 1, 2 },
        { 17, 2, 14, 14, 5, 2, 1, 2 },
        { 70, 1, 14, 14, 3, 2, 2, 2 },
        { 5, 2, 7, 7, 5, 4, 2, 2 },
        { 20, 2, 9, 6, 3, 1, 1, 2 },
        { 1, 2, 2, 3, 5, 4, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fused_relu_passes_equal_the_plain_passes_around_a_relu(int n, int c, int h, int w, int k, int pad,
        int dil, int stride)
    {
        var s = new BatchMinorDepthwiseShape(c, h, w, n, k, dil, pad, stride);
        var x = WithZeros(ConvolutionData.Random((int)s.InputLength, 41));
        var relu = new float[x.Length];
        ActivationKernel.Relu(x, relu);
        var weights = ConvolutionData.Random(s.WeightLength, 42);
        var dy = ConvolutionData.Random((int)s.OutputLength, 43);
        foreach (var width in Widths)
        {
            var y = new float[s.OutputLength];
            var yPlain = new float[s.OutputLength];
            BatchMinorDepthwiseKernel.Forward(s, x, weights, y, reluInput: true, width);
            BatchMinorDepthwiseKernel.Forward(s, relu, weights, yPlain, reluInput: false, width);
            AssertBits(yPlain, y, $"y ({width})");

            foreach (bool accumulate in new[] { false, true })
            {
                var dwStart = ConvolutionData.Random(s.WeightLength, 44);
                var dw = (float[])dwStart.Clone();
                var dwPlain = (float[])dwStart.Clone();
                BatchMinorDepthwiseKernel.BackwardWeight(s, x, dy, dw, accumulate, reluInput: true, width);
                BatchMinorDepthwiseKernel.BackwardWeight(s, relu, dy, dwPlain, accumulate, reluInput: false, width);
                AssertBits(dwPlain, dw, $"dw ({width}, accumulate {accumulate})");

                // What dx holds before: zeros of both signs too, since −0 + 0 is +0 where the mask drops the sum.
                var dxStart = WithZeros(ConvolutionData.Random((int)s.InputLength, 45));
                var through = new float[s.InputLength];
                BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, through, accumulate: false, default, width);
                var dxExpected = (float[])dxStart.Clone();
                ActivationKernel.ReluBackward(x, through, dxExpected, accumulate);
                var dx = (float[])dxStart.Clone();
                BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, dx, accumulate, x, width);
                AssertBits(dxExpected, dx, $"dx ({width}, accumulate {accumulate})");
            }
        }
    }

    [Fact]
    public void Relu_of_NaN_is_NaN_forward_and_its_gradient_is_zero()
    {
        // ActivationKernel.Relu keeps NaN (IEEE maximum) and ReluBackward drops it (NaN > 0 is false); a fused ReLU
        // built on a native max (NaN → 0) or a 0/1 multiply (NaN · g) would differ.
        var s = new BatchMinorDepthwiseShape(2, 7, 7, 19, 3, 1, 1);
        var x = WithZeros(ConvolutionData.Random((int)s.InputLength, 51));
        for (int i = 5; i < x.Length; i += 97)
        {
            x[i] = float.NaN;
        }
        var relu = new float[x.Length];
        ActivationKernel.Relu(x, relu);
        var weights = ConvolutionData.Random(s.WeightLength, 52);
        var dy = ConvolutionData.Random((int)s.OutputLength, 53);
        foreach (var width in Widths)
        {
            var y = new float[s.OutputLength];
            var yPlain = new float[s.OutputLength];
            BatchMinorDepthwiseKernel.Forward(s, x, weights, y, reluInput: true, width);
            BatchMinorDepthwiseKernel.Forward(s, relu, weights, yPlain, reluInput: false, width);
            Assert.Contains(y, float.IsNaN);
            for (int i = 0; i < y.Length; i++)
            {
                Assert.True(float.IsNaN(yPlain[i]) ? float.IsNaN(y[i]) : Bits(yPlain[i]) == Bits(y[i]),
                    $"y[{i}] ({width}): expected {yPlain[i]}, got {y[i]}");
            }

            var through = new float[s.InputLength];
            BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, through, accumulate: false, default, width);
            var dxExpected = new float[s.InputLength];
            ActivationKernel.ReluBackward(x, through, dxExpected, accumulate: false);
            var dx = new float[s.InputLength];
            BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, dx, accumulate: false, x, width);
            Assert.DoesNotContain(dx, float.IsNaN);
            AssertBits(dxExpected, dx, $"dx ({width})");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fused_relu_passes_are_bit_identical_at_one_and_two_threads(int stride)
    {
        var s = new BatchMinorDepthwiseShape(40, 7, 7, 21, 5, 2, 4, stride);
        var x = WithZeros(ConvolutionData.Random((int)s.InputLength, 61));
        var weights = ConvolutionData.Random(s.WeightLength, 62);
        var dy = ConvolutionData.Random((int)s.OutputLength, 63);
        var results = new float[2][][];
        for (int threads = 1; threads <= 2; threads++)
        {
            using var limit = CpuParallel.Limit(threads);
            var y = new float[s.OutputLength];
            var dx = new float[s.InputLength];
            var dw = new float[s.WeightLength];
            BatchMinorDepthwiseKernel.Forward(s, x, weights, y, reluInput: true);
            BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, dx, accumulate: false, reluInputOf: x);
            BatchMinorDepthwiseKernel.BackwardWeight(s, x, dy, dw, accumulate: false, reluInput: true);
            results[threads - 1] = [y, dx, dw];
        }
        string[] names = ["y", "dx", "dw"];
        for (int i = 0; i < names.Length; i++)
        {
            ConvolutionData.AssertBitIdentical(results[0][i], results[1][i], names[i]);
        }
    }

    [Fact]
    public void A_short_relu_input_is_named()
    {
        var s = new BatchMinorDepthwiseShape(2, 7, 7, 4, 3, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => BatchMinorDepthwiseKernel.BackwardData(s,
            new float[s.OutputLength], new float[s.WeightLength], new float[s.InputLength], false,
            new float[s.InputLength - 1]));
        Assert.Contains("reluInputOf holds", e.Message);
    }

    /// <summary>Every seventh value +0 and every seventh (offset 3) −0: the boundary of the mask and of max(·, 0).
    /// </summary>
    private static float[] WithZeros(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (i % 7 == 0)
            {
                values[i] = 0f;
            }
            else if (i % 7 == 3)
            {
                values[i] = -0f;
            }
        }
        return values;
    }

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Bits(expected[i]) != Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
            }
        }
    }
}

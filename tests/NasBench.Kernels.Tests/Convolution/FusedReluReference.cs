using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>One kernel family's passes with a fused input ReLU against <see cref="Conv2dReference"/> on an explicitly
/// rectified input, so the dense and depthwise tests share one body.</summary>
internal static class FusedReluReference
{
    /// <summary>y = conv(relu(x)) + bias.</summary>
    public delegate void ForwardPass(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y);

    /// <summary>dx (= or +=) the gradient with respect to x through the ReLU.</summary>
    public delegate void DataPass(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate, ReadOnlySpan<float> x);

    /// <summary>dw = Σ dy·relu(x), dbias = Σ dy.</summary>
    public delegate void WeightPass(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias);

    public static void Check(in Conv2dShape s, ForwardPass forward, DataPass data, WeightPass weight)
    {
        var x = ConvolutionData.Random(s.InputLength, 5);
        Assert.Contains(x, v => v < 0); // the mask must have something to do
        var relu = x.Select(v => MathF.Max(v, 0f)).ToArray();
        var wt = ConvolutionData.Random(s.WeightLength, 6);
        var bias = ConvolutionData.Random(s.OutChannels, 7);
        var dy = ConvolutionData.Random(s.OutputLength, 10);

        var yExpected = new float[s.OutputLength];
        Conv2dReference.Forward(s, relu, wt, bias, yExpected);
        var y = Enumerable.Repeat(float.NaN, s.OutputLength).ToArray();
        forward(s, x, wt, bias, y);
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
            data(s, dy, wt, dx, accumulate, x);
            ConvolutionData.AssertClose(expected, dx, $"dx (accumulate {accumulate})");
        }

        var dwExpected = new float[s.WeightLength];
        var dbExpected = new float[s.OutChannels];
        Conv2dReference.BackwardWeight(s, relu, dy, dwExpected, dbExpected, accumulate: false);
        var dw = Enumerable.Repeat(float.NaN, s.WeightLength).ToArray();
        var db = Enumerable.Repeat(float.NaN, s.OutChannels).ToArray();
        weight(s, x, dy, dw, db);
        ConvolutionData.AssertClose(dwExpected, dw, "dw");
        ConvolutionData.AssertClose(dbExpected, db, "dbias");
    }
}

using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>The three passes of one kernel family, so the dense and depthwise tests share one body.</summary>
internal sealed class ConvolutionPasses
{
    public delegate void ForwardPass(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y);

    public delegate void DataPass(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate);

    public delegate void WeightPass(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate);

    public static readonly ConvolutionPasses Dense = new(
        (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y) =>
            Conv2dKernel.Forward(s, x, w, b, y),
        (in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, bool acc) =>
            Conv2dKernel.BackwardData(s, dy, w, dx, acc),
        (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db, bool acc) =>
            Conv2dKernel.BackwardWeight(s, x, dy, dw, db, acc));

    public static readonly ConvolutionPasses Pointwise =
        new(PointwiseConvKernel.Forward, PointwiseConvKernel.BackwardData, PointwiseConvKernel.BackwardWeight);

    public static readonly ConvolutionPasses Depthwise = new(
        (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y) =>
            DepthwiseConv2dKernel.Forward(s, x, w, b, y),
        (in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, bool acc) =>
            DepthwiseConv2dKernel.BackwardData(s, dy, w, dx, acc),
        (in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db, bool acc) =>
            DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dw, db, acc));

    private ConvolutionPasses(ForwardPass forward, DataPass data, WeightPass weight)
    {
        Forward = forward;
        Data = data;
        Weight = weight;
    }

    public ForwardPass Forward { get; }

    public DataPass Data { get; }

    public WeightPass Weight { get; }

    /// <summary>All three passes against <see cref="Conv2dReference"/>, with and without bias and accumulation.
    /// </summary>
    public void MatchReference(Conv2dShape s, int seed)
    {
        var x = ConvolutionData.Random(s.InputLength, seed);
        var w = ConvolutionData.Random(s.WeightLength, seed + 1);
        var bias = ConvolutionData.Random(s.OutChannels, seed + 2);
        var dy = ConvolutionData.Random(s.OutputLength, seed + 3);

        foreach (bool withBias in new[] { false, true })
        {
            var b = withBias ? bias : [];
            var expected = new float[s.OutputLength];
            Conv2dReference.Forward(s, x, w, b, expected);
            // NaN garbage in y must be overwritten, not read.
            var y = Enumerable.Repeat(float.NaN, s.OutputLength).ToArray();
            Forward(s, x, w, b, y);
            ConvolutionData.AssertClose(expected, y, $"y (bias {withBias})");
        }

        foreach (bool accumulate in new[] { false, true })
        {
            var start = accumulate ? ConvolutionData.Random(s.InputLength, seed + 4) : new float[s.InputLength];
            var expected = (float[])start.Clone();
            Conv2dReference.BackwardData(s, dy, w, expected, accumulate);
            var dx = accumulate ? (float[])start.Clone() : Enumerable.Repeat(float.NaN, s.InputLength).ToArray();
            Data(s, dy, w, dx, accumulate);
            ConvolutionData.AssertClose(expected, dx, $"dx (accumulate {accumulate})");
        }

        foreach (bool accumulate in new[] { false, true })
        {
            foreach (bool withBias in new[] { false, true })
            {
                var dwStart = accumulate ? ConvolutionData.Random(s.WeightLength, seed + 5) : new float[s.WeightLength];
                var dbStart = accumulate ? ConvolutionData.Random(s.OutChannels, seed + 6) : new float[s.OutChannels];
                var dwExpected = (float[])dwStart.Clone();
                var dbExpected = withBias ? (float[])dbStart.Clone() : [];
                Conv2dReference.BackwardWeight(s, x, dy, dwExpected, dbExpected, accumulate);
                var dw = accumulate ? (float[])dwStart.Clone() : Enumerable.Repeat(float.NaN, s.WeightLength).ToArray();
                var db = !withBias ? [] : accumulate ? (float[])dbStart.Clone()
                    : Enumerable.Repeat(float.NaN, s.OutChannels).ToArray();
                Weight(s, x, dy, dw, db, accumulate);
                ConvolutionData.AssertClose(dwExpected, dw, $"dw (accumulate {accumulate}, bias {withBias})");
                ConvolutionData.AssertClose(dbExpected, db, $"dbias (accumulate {accumulate})");
            }
        }
    }

    /// <summary>Every pass run at 1 and at 2 threads gives the same bits.</summary>
    public void BitIdenticalAcrossThreads(Conv2dShape s, int seed)
    {
        var x = ConvolutionData.Random(s.InputLength, seed);
        var w = ConvolutionData.Random(s.WeightLength, seed + 1);
        var bias = ConvolutionData.Random(s.OutChannels, seed + 2);
        var dy = ConvolutionData.Random(s.OutputLength, seed + 3);
        var results = new List<float[]>[2];
        for (int threads = 1; threads <= 2; threads++)
        {
            using var limit = CpuParallel.Limit(threads);
            var y = new float[s.OutputLength];
            var dx = ConvolutionData.Random(s.InputLength, seed + 4);
            var dw = ConvolutionData.Random(s.WeightLength, seed + 5);
            var db = ConvolutionData.Random(s.OutChannels, seed + 6);
            Forward(s, x, w, bias, y);
            Data(s, dy, w, dx, accumulate: true);
            Weight(s, x, dy, dw, db, accumulate: true);
            results[threads - 1] = [y, dx, dw, db];
        }
        string[] names = ["y", "dx", "dw", "dbias"];
        for (int i = 0; i < names.Length; i++)
        {
            ConvolutionData.AssertBitIdentical(results[0][i], results[1][i], names[i]);
        }
    }
}

using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Pooling;

/// <summary><see cref="BatchMinorPoolKernel"/> against two oracles: plain loops over its own definition in the
/// batch-minor layout (here), and <see cref="PoolingReference"/> on the tensors transposed to NCHW. Every test runs
/// the 512-bit, 256-bit and scalar lanes (a width the CPU lacks falls back to the next, which is then run twice).
/// </summary>
public class BatchMinorPoolKernelTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.V512, SimdWidth.V256, SimdWidth.Scalar];

    private static readonly float Nan = float.NaN, Inf = float.PositiveInfinity;

    /// <summary>(channels, height, width, batch): batch 1, 3, 16, 17, 64, 70 (whole vectors and tails of 1, 3, 6 at
    /// 16 lanes and 1, 6 at 8), planes 1×1, 1×5, 2×3, 7×7, 14×14 and 5×9, channels 1 and 3.</summary>
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        { 1, 1, 1, 1 },
        { 3, 1, 1, 17 },
        { 3, 1, 5, 3 },
        { 1, 1, 5, 64 },
        { 1, 2, 3, 16 },
        { 3, 2, 3, 1 },
        { 3, 7, 7, 17 },
        { 1, 7, 7, 70 },
        { 3, 7, 7, 64 },
        { 1, 14, 14, 64 },
        { 3, 14, 14, 17 },
        { 3, 5, 9, 70 },
        { 1, 5, 9, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxForward_matches_both_references_bit_for_bit(int channels, int height, int width, int batch)
    {
        int length = channels * height * width * batch;
        var inputs = new (string Name, float[] X)[]
        {
            ("random", Random(length, 1)),
            ("ties", Draw(length, 2, [0f, 1f, 2f])),
            ("infinities", Draw(length, 3, [-Inf, -Inf, -Inf, -Inf, Inf, 0f, 1f])),
            ("signed zeros and NaN", Draw(length, 4, [-0f, 0f, -0f, 0f, -1f, -1f, Nan])),
        };
        var s = new Pool2dShape(batch, channels, height, width, 3, 1, 1);
        foreach (var (name, x) in inputs)
        {
            var (yRef, tapRef) = (new float[length], new byte[length]);
            MaxForwardReference(channels, height, width, batch, x, yRef, tapRef);
            var (yN, argN) = (new float[length], new int[length]);
            PoolingReference.MaxForward(s, ToNchw(channels, height, width, batch, x), yN, argN);
            AssertBits(FromNchw(channels, height, width, batch, yN), yRef, $"{name}: NCHW reference vs loops");
            foreach (var simd in Widths)
            {
                var (y, tap) = (new float[length], new byte[length]);
                BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap, simd);
                AssertBits(yRef, y, $"{name}, {simd}: y");
                Assert.True(tapRef.AsSpan().SequenceEqual(tap), $"{name}, {simd}: tap differs from the loops.");
                AssertTapsMatchArgmax(channels, height, width, batch, tap, argN, $"{name}, {simd}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxBackward_matches_both_references_bit_for_bit(int channels, int height, int width, int batch)
    {
        int length = channels * height * width * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, 1, 1);
        // Ties everywhere: many windows share a maximum, so the tap (not the value) decides where dy goes.
        var x = Draw(length, 5, [0f, 1f, 2f]);
        var (y, tap) = (new float[length], new byte[length]);
        MaxForwardReference(channels, height, width, batch, x, y, tap);
        var (yN, argN) = (new float[length], new int[length]);
        PoolingReference.MaxForward(s, ToNchw(channels, height, width, batch, x), yN, argN);
        var dy = Random(length, 6);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = Random(length, 7); // overwritten, or added to
            for (int i = 0; i < length; i += 3)
            {
                start[i] = -0f; // a cell no tap names keeps −0 when accumulating (an added +0 would flip it)
            }
            var dxRef = (float[])start.Clone();
            MaxBackwardReference(channels, height, width, batch, dy, tap, dxRef, accumulate);
            var dxN = ToNchw(channels, height, width, batch, start);
            PoolingReference.MaxBackward(s, ToNchw(channels, height, width, batch, dy), argN, dxN, accumulate);
            AssertBits(FromNchw(channels, height, width, batch, dxN), dxRef, $"accumulate {accumulate}: NCHW vs loops");
            foreach (var simd in Widths)
            {
                var dx = (float[])start.Clone();
                BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, tap, dx, accumulate, simd);
                AssertBits(dxRef, dx, $"accumulate {accumulate}, {simd}: dx");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgForward_matches_both_references(int channels, int height, int width, int batch)
    {
        int length = channels * height * width * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, 1, 1);
        var x = Random(length, 8);
        var yRef = new float[length];
        AvgForwardReference(channels, height, width, batch, x, yRef);
        var yN = new float[length];
        PoolingReference.AvgForward(s, ToNchw(channels, height, width, batch, x), yN);
        AssertClose(FromNchw(channels, height, width, batch, yN), yRef, "NCHW reference vs loops");
        foreach (var simd in Widths)
        {
            var y = new float[length];
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, y, simd);
            AssertClose(yRef, y, $"{simd}: y");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgBackward_matches_both_references(int channels, int height, int width, int batch)
    {
        int length = channels * height * width * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, 1, 1);
        var dy = Random(length, 9);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = Random(length, 10);
            var dxRef = (float[])start.Clone();
            AvgBackwardReference(channels, height, width, batch, dy, dxRef, accumulate);
            var dxN = ToNchw(channels, height, width, batch, start);
            PoolingReference.AvgBackward(s, ToNchw(channels, height, width, batch, dy), dxN, accumulate);
            AssertClose(FromNchw(channels, height, width, batch, dxN), dxRef, $"accumulate {accumulate}: NCHW");
            foreach (var simd in Widths)
            {
                var dx = (float[])start.Clone();
                BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, dx, accumulate, simd);
                AssertClose(dxRef, dx, $"accumulate {accumulate}, {simd}: dx");
            }
        }
    }

    /// <summary>A constant plane (finite, or all −∞): every window ties everywhere, so each tap is the window's first
    /// in-bounds cell (its top-left inside the input) and padding never counts.</summary>
    [Theory]
    [InlineData(2f)]
    [InlineData(float.NegativeInfinity)]
    public void Constant_planes_tap_the_first_in_bounds_cell(float value)
    {
        const int channels = 2, height = 5, width = 9, batch = 19;
        int length = channels * height * width * batch;
        var x = new float[length];
        Array.Fill(x, value);
        foreach (var simd in Widths)
        {
            var (y, tap) = (new float[length], new byte[length]);
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap, simd);
            for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < height; oy++)
            for (int ox = 0; ox < width; ox++)
            for (int n = 0; n < batch; n++)
            {
                long i = At(height, width, batch, c, oy, ox, n);
                int expected = ((oy > 0 ? 0 : 1) * 3) + (ox > 0 ? 0 : 1);
                Assert.Equal(value, y[i]);
                Assert.True(tap[i] == expected,
                    $"{simd}: tap {tap[i]} at ({c}, {oy}, {ox}, {n}), {expected} expected.");
            }
        }
    }

    [Theory]
    [InlineData(16, 14, 14, 64)] // one channel per chunk: 16 chunks
    [InlineData(40, 7, 7, 70)] // several channels per chunk, with a batch tail
    public void One_and_two_threads_give_identical_bits(int channels, int height, int width, int batch)
    {
        int length = channels * height * width * batch;
        var x = Draw(length, 11, [0f, 1f, 2f, -Inf]);
        var dy = Random(length, 12);
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var (y, tap, dx) = (new float[length], new byte[length], Random(length, 13));
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap);
            BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, tap, dx, accumulate: true);
            var (ya, dxa) = (new float[length], Random(length, 14));
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, ya);
            BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, dxa, accumulate: true);
            return [y, tap.Select(t => (float)t).ToArray(), dx, ya, dxa];
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            AssertBits(one[i], two[i], $"result {i}");
        }
    }

    [Fact]
    public void Bad_sizes_and_short_spans_throw_ArgumentException()
    {
        const int c = 2, h = 3, w = 5, b = 17, length = c * h * w * b;
        var (f, g, t) = (new float[length], new float[length], new byte[length]);
        // Zero or negative sizes.
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, 0, f, g, t));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxBackward(-1, h, w, b, f, t, g, false));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, 0, w, b, f, g));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, 0, b, f, g, true));
        // One element short, each span in turn.
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f.AsSpan(1), g, t));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g.AsSpan(1), t));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g, t.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxBackward(c, h, w, b, f.AsSpan(1), t, g, true));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxBackward(c, h, w, b, f, t.AsSpan(1), g, true));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxBackward(c, h, w, b, f, t, g.AsSpan(1), true));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, h, w, b, f.AsSpan(1), g));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, h, w, b, f, g.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, w, b, f.AsSpan(1), g, false));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, w, b, f, g.AsSpan(1), false));
    }

    [Fact]
    public void Longer_spans_are_accepted_and_their_tails_left_alone()
    {
        const int c = 2, h = 7, w = 7, b = 17, length = c * h * w * b;
        var x = Random(length + 5, 15);
        var (y, tap) = (new float[length + 5], new byte[length + 5]);
        y.AsSpan(length).Fill(42f);
        tap.AsSpan(length).Fill(42);
        BatchMinorPoolKernel.MaxForward(c, h, w, b, x, y, tap);
        BatchMinorPoolKernel.AvgBackward(c, h, w, b, x, y, accumulate: true);
        BatchMinorPoolKernel.MaxBackward(c, h, w, b, x, tap, y, accumulate: false);
        Assert.All(y[length..], v => Assert.Equal(42f, v));
        Assert.All(tap[length..], v => Assert.Equal(42, v));
    }

    /// <summary>The definition, one image lane at a time: the first in-bounds cell seeds the maximum, a later cell
    /// replaces it only when strictly greater.</summary>
    private static void MaxForwardReference(int channels, int h, int w, int batch, float[] x, float[] y, byte[] tap)
    {
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < h; oy++)
        for (int ox = 0; ox < w; ox++)
        for (int n = 0; n < batch; n++)
        {
            float best = 0;
            int arg = -1;
            for (int k = 0; k < 9; k++)
            {
                int iy = oy + (k / 3) - 1, ix = ox + (k % 3) - 1;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                {
                    continue;
                }
                float v = x[At(h, w, batch, c, iy, ix, n)];
                if (arg < 0 || v > best)
                {
                    (best, arg) = (v, k);
                }
            }
            y[At(h, w, batch, c, oy, ox, n)] = best;
            tap[At(h, w, batch, c, oy, ox, n)] = (byte)arg;
        }
    }

    /// <summary>A scatter in output order (the kernel gathers): dx (cleared unless accumulating) += dy at the cell
    /// each tap names.</summary>
    private static void MaxBackwardReference(int channels, int h, int w, int batch, float[] dy, byte[] tap,
        float[] dx, bool accumulate)
    {
        if (!accumulate)
        {
            Array.Clear(dx);
        }
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < h; oy++)
        for (int ox = 0; ox < w; ox++)
        for (int n = 0; n < batch; n++)
        {
            long o = At(h, w, batch, c, oy, ox, n);
            int iy = oy + (tap[o] / 3) - 1, ix = ox + (tap[o] % 3) - 1;
            dx[At(h, w, batch, c, iy, ix, n)] += dy[o];
        }
    }

    private static void AvgForwardReference(int channels, int h, int w, int batch, float[] x, float[] y)
    {
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < h; oy++)
        for (int ox = 0; ox < w; ox++)
        for (int n = 0; n < batch; n++)
        {
            double sum = 0;
            int count = 0;
            for (int iy = Math.Max(0, oy - 1); iy <= Math.Min(h - 1, oy + 1); iy++)
            for (int ix = Math.Max(0, ox - 1); ix <= Math.Min(w - 1, ox + 1); ix++)
            {
                sum += x[At(h, w, batch, c, iy, ix, n)];
                count++;
            }
            y[At(h, w, batch, c, oy, ox, n)] = (float)(sum / count);
        }
    }

    /// <summary>In double: dx (or 0) + Σ dy/count over the outputs whose window holds the cell, by scatter.</summary>
    private static void AvgBackwardReference(int channels, int h, int w, int batch, float[] dy, float[] dx,
        bool accumulate)
    {
        var sum = new double[dx.Length];
        for (int i = 0; i < dx.Length; i++)
        {
            sum[i] = accumulate ? dx[i] : 0;
        }
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < h; oy++)
        for (int ox = 0; ox < w; ox++)
        for (int n = 0; n < batch; n++)
        {
            int rows = Math.Min(h - 1, oy + 1) - Math.Max(0, oy - 1) + 1;
            int cols = Math.Min(w - 1, ox + 1) - Math.Max(0, ox - 1) + 1;
            double share = (double)dy[At(h, w, batch, c, oy, ox, n)] / (rows * cols);
            for (int iy = Math.Max(0, oy - 1); iy <= Math.Min(h - 1, oy + 1); iy++)
            for (int ix = Math.Max(0, ox - 1); ix <= Math.Min(w - 1, ox + 1); ix++)
            {
                sum[At(h, w, batch, c, iy, ix, n)] += share;
            }
        }
        for (int i = 0; i < dx.Length; i++)
        {
            dx[i] = (float)sum[i];
        }
    }

    /// <summary>Each tap, read as the window offset it names, is the flat in-plane index the NCHW reference chose.
    /// </summary>
    private static void AssertTapsMatchArgmax(int channels, int h, int w, int batch, byte[] tap, int[] argN,
        string what)
    {
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < h; oy++)
        for (int ox = 0; ox < w; ox++)
        for (int n = 0; n < batch; n++)
        {
            int k = tap[At(h, w, batch, c, oy, ox, n)];
            int cell = ((oy + (k / 3) - 1) * w) + ox + (k % 3) - 1;
            int arg = argN[(((long)n * channels) + c) * h * w + (oy * w) + ox];
            Assert.True(k <= 8 && cell == arg,
                $"{what}: tap {k} at ({c}, {oy}, {ox}, {n}) names cell {cell}, the reference's argmax is {arg}.");
        }
    }

    private static long At(int h, int w, int batch, int c, int iy, int ix, int n) =>
        ((((long)c * h * w) + (iy * w) + ix) * batch) + n;

    private static float[] ToNchw(int channels, int h, int w, int batch, float[] minor)
    {
        var nchw = new float[channels * h * w * batch];
        for (int c = 0; c < channels; c++)
        for (int p = 0; p < h * w; p++)
        for (int n = 0; n < batch; n++)
        {
            nchw[(((long)n * channels) + c) * h * w + p] = minor[((((long)c * h * w) + p) * batch) + n];
        }
        return nchw;
    }

    private static float[] FromNchw(int channels, int h, int w, int batch, float[] nchw)
    {
        var minor = new float[channels * h * w * batch];
        for (int c = 0; c < channels; c++)
        for (int p = 0; p < h * w; p++)
        for (int n = 0; n < batch; n++)
        {
            minor[((((long)c * h * w) + p) * batch) + n] = nchw[(((long)n * channels) + c) * h * w + p];
        }
        return minor;
    }

    /// <summary>Equal as bit patterns: −0 is not +0, and NaNs must match.</summary>
    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, {expected[i]} expected (bits differ).");
            }
        }
    }

    /// <summary>Within 1e-5 of the expected value, relative (absolute below magnitude 1).</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float bound = 1e-5f * Math.Max(1f, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, {expected[i]} expected (bound {bound}).");
            }
        }
    }

    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)((rng.NextDouble() * 4) - 2);
        }
        return a;
    }

    /// <summary>Values drawn uniformly from <paramref name="values"/> (repeat one to weight it).</summary>
    private static float[] Draw(int length, int seed, float[] values)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = values[rng.Next(values.Length)];
        }
        return a;
    }
}

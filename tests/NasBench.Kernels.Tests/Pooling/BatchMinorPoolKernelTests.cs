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

    /// <summary>(channels, height, width, batch, stride): batch 1, 3, 16, 17, 64, 70 (whole vectors and tails of 1,
    /// 3, 6 at 16 lanes and 1, 6 at 8), planes 1×1, 1×5, 2×3, 7×7, 14×14 and 5×9 (odd and even sides, so stride 2
    /// both does and does not reach the last row/column with a window centre), channels 1 and 3; each at stride 1 and
    /// 2.</summary>
    public static TheoryData<int, int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int>();
        foreach (int stride in new[] { 1, 2 })
        {
            foreach (var (c, h, w, b) in new[]
            {
                (1, 1, 1, 1), (3, 1, 1, 17), (3, 1, 5, 3), (1, 1, 5, 64), (1, 2, 3, 16), (3, 2, 3, 1),
                (3, 7, 7, 17), (1, 7, 7, 70), (3, 7, 7, 64), (1, 14, 14, 64), (3, 14, 14, 17), (3, 5, 9, 70),
                (1, 5, 9, 16),
            })
            {
                data.Add(c, h, w, b, stride);
            }
        }
        return data;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 1, 3)]
    [InlineData(5, 2, 3)]
    [InlineData(7, 2, 4)]
    [InlineData(14, 2, 7)]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 1)]
    public void OutputSize_is_the_floor_formula(int size, int stride, int expected)
    {
        Assert.Equal(expected, BatchMinorPoolKernel.OutputSize(size, stride));
        Assert.Equal(expected, new Pool2dShape(1, 1, size, size, 3, stride, 1).OutHeight);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxForward_matches_both_references_bit_for_bit(int channels, int height, int width, int batch,
        int stride)
    {
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var inputs = new (string Name, float[] X)[]
        {
            ("random", Random(length, 1)),
            ("ties", Draw(length, 2, [0f, 1f, 2f])),
            ("infinities", Draw(length, 3, [-Inf, -Inf, -Inf, -Inf, Inf, 0f, 1f])),
            ("signed zeros and NaN", Draw(length, 4, [-0f, 0f, -0f, 0f, -1f, -1f, Nan])),
        };
        var s = new Pool2dShape(batch, channels, height, width, 3, stride, 1);
        Assert.Equal((oh, ow), (s.OutHeight, s.OutWidth));
        foreach (var (name, x) in inputs)
        {
            var (yRef, tapRef) = (new float[outLength], new byte[outLength]);
            MaxForwardReference(channels, height, width, batch, stride, x, yRef, tapRef);
            var (yN, argN) = (new float[outLength], new int[outLength]);
            PoolingReference.MaxForward(s, ToNchw(channels, height, width, batch, x), yN, argN);
            AssertBits(FromNchw(channels, oh, ow, batch, yN), yRef, $"{name}: NCHW reference vs loops");
            foreach (var simd in Widths)
            {
                var (y, tap) = (new float[outLength], new byte[outLength]);
                BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap, stride, simd);
                AssertBits(yRef, y, $"{name}, {simd}: y");
                Assert.True(tapRef.AsSpan().SequenceEqual(tap), $"{name}, {simd}: tap differs from the loops.");
                AssertTapsMatchArgmax(channels, height, width, batch, stride, tap, argN, $"{name}, {simd}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxBackward_matches_both_references_bit_for_bit(int channels, int height, int width, int batch,
        int stride)
    {
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, stride, 1);
        // Ties everywhere: many windows share a maximum, so the tap (not the value) decides where dy goes.
        var x = Draw(length, 5, [0f, 1f, 2f]);
        var (y, tap) = (new float[outLength], new byte[outLength]);
        MaxForwardReference(channels, height, width, batch, stride, x, y, tap);
        var (yN, argN) = (new float[outLength], new int[outLength]);
        PoolingReference.MaxForward(s, ToNchw(channels, height, width, batch, x), yN, argN);
        var dy = Random(outLength, 6);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = Random(length, 7); // overwritten, or added to
            for (int i = 0; i < length; i += 3)
            {
                start[i] = -0f; // a cell no tap names keeps −0 when accumulating (an added +0 would flip it)
            }
            var dxRef = (float[])start.Clone();
            MaxBackwardReference(channels, height, width, batch, stride, dy, tap, dxRef, accumulate);
            var dxN = ToNchw(channels, height, width, batch, start);
            PoolingReference.MaxBackward(s, ToNchw(channels, oh, ow, batch, dy), argN, dxN, accumulate);
            AssertBits(FromNchw(channels, height, width, batch, dxN), dxRef, $"accumulate {accumulate}: NCHW vs loops");
            foreach (var simd in Widths)
            {
                var dx = (float[])start.Clone();
                BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, tap, dx, accumulate, stride,
                    simd);
                AssertBits(dxRef, dx, $"accumulate {accumulate}, {simd}: dx");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgForward_matches_both_references(int channels, int height, int width, int batch, int stride)
    {
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, stride, 1);
        var x = Random(length, 8);
        var yRef = new float[outLength];
        AvgForwardReference(channels, height, width, batch, stride, x, yRef);
        var yN = new float[outLength];
        PoolingReference.AvgForward(s, ToNchw(channels, height, width, batch, x), yN);
        AssertClose(FromNchw(channels, oh, ow, batch, yN), yRef, "NCHW reference vs loops");
        foreach (var simd in Widths)
        {
            var y = new float[outLength];
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, y, stride, simd);
            AssertClose(yRef, y, $"{simd}: y");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgBackward_matches_both_references(int channels, int height, int width, int batch, int stride)
    {
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var s = new Pool2dShape(batch, channels, height, width, 3, stride, 1);
        var dy = Random(outLength, 9);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = Random(length, 10);
            var dxRef = (float[])start.Clone();
            AvgBackwardReference(channels, height, width, batch, stride, dy, dxRef, accumulate);
            var dxN = ToNchw(channels, height, width, batch, start);
            PoolingReference.AvgBackward(s, ToNchw(channels, oh, ow, batch, dy), dxN, accumulate);
            AssertClose(FromNchw(channels, height, width, batch, dxN), dxRef, $"accumulate {accumulate}: NCHW");
            foreach (var simd in Widths)
            {
                var dx = (float[])start.Clone();
                BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, dx, accumulate, stride, simd);
                AssertClose(dxRef, dx, $"accumulate {accumulate}, {simd}: dx");
            }
        }
    }

    /// <summary>The public overloads without a stride argument are stride 1, and with one they run the same lanes as
    /// the best width.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Public_overloads_match_the_best_width(int stride)
    {
        const int channels = 3, height = 7, width = 7, batch = 17;
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var x = Draw(length, 16, [0f, 1f, 2f, -Inf]);
        var dy = Random(outLength, 17);
        var (y1, t1, y2, t2) = (new float[outLength], new byte[outLength], new float[outLength], new byte[outLength]);
        if (stride == 1)
        {
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y1, t1);
        }
        else
        {
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y1, t1, stride);
        }
        BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y2, t2, stride, SimdWidth.Best);
        AssertBits(y2, y1, "max y");
        Assert.True(t2.AsSpan().SequenceEqual(t1));
        var (d1, d2) = (Random(length, 18), Random(length, 18));
        if (stride == 1)
        {
            BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, t1, d1, accumulate: true);
            BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, d1, accumulate: true);
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, y1);
        }
        else
        {
            BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, t1, d1, accumulate: true, stride);
            BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, d1, accumulate: true, stride);
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, y1, stride);
        }
        BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, t2, d2, true, stride, SimdWidth.Best);
        BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, d2, true, stride, SimdWidth.Best);
        BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, y2, stride, SimdWidth.Best);
        AssertBits(d2, d1, "dx");
        AssertBits(y2, y1, "avg y");
    }

    /// <summary>A constant plane (finite, or all −∞): every window ties everywhere, so each tap is the window's first
    /// in-bounds cell (its top-left inside the input) and padding never counts.</summary>
    [Theory]
    [InlineData(2f, 1)]
    [InlineData(float.NegativeInfinity, 1)]
    [InlineData(2f, 2)]
    [InlineData(float.NegativeInfinity, 2)]
    public void Constant_planes_tap_the_first_in_bounds_cell(float value, int stride)
    {
        const int channels = 2, height = 5, width = 9, batch = 19;
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var x = new float[length];
        Array.Fill(x, value);
        foreach (var simd in Widths)
        {
            var (y, tap) = (new float[outLength], new byte[outLength]);
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap, stride, simd);
            for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            for (int n = 0; n < batch; n++)
            {
                long i = At(oh, ow, batch, c, oy, ox, n);
                int expected = ((oy > 0 ? 0 : 1) * 3) + (ox > 0 ? 0 : 1);
                Assert.Equal(value, y[i]);
                Assert.True(tap[i] == expected,
                    $"{simd}: tap {tap[i]} at ({c}, {oy}, {ox}, {n}), {expected} expected.");
            }
        }
    }

    [Theory]
    [InlineData(16, 14, 14, 64, 1)] // one channel per chunk: 16 chunks
    [InlineData(40, 7, 7, 70, 1)] // several channels per chunk, with a batch tail
    [InlineData(16, 14, 14, 64, 2)]
    [InlineData(40, 7, 7, 70, 2)]
    public void One_and_two_threads_give_identical_bits(int channels, int height, int width, int batch, int stride)
    {
        var (oh, ow) = Out(height, width, stride);
        int length = channels * height * width * batch, outLength = channels * oh * ow * batch;
        var x = Draw(length, 11, [0f, 1f, 2f, -Inf]);
        var dy = Random(outLength, 12);
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var (y, tap, dx) = (new float[outLength], new byte[outLength], Random(length, 13));
            BatchMinorPoolKernel.MaxForward(channels, height, width, batch, x, y, tap, stride);
            BatchMinorPoolKernel.MaxBackward(channels, height, width, batch, dy, tap, dx, accumulate: true, stride);
            var (ya, dxa) = (new float[outLength], Random(length, 14));
            BatchMinorPoolKernel.AvgForward(channels, height, width, batch, x, ya, stride);
            BatchMinorPoolKernel.AvgBackward(channels, height, width, batch, dy, dxa, accumulate: true, stride);
            return [y, tap.Select(t => (float)t).ToArray(), dx, ya, dxa];
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            AssertBits(one[i], two[i], $"result {i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Bad_sizes_and_short_spans_throw_ArgumentException(int stride)
    {
        const int c = 2, h = 3, w = 5, b = 17, length = c * h * w * b;
        var (oh, ow) = Out(h, w, stride);
        int outLength = c * oh * ow * b;
        var (f, g, t) = (new float[length], new float[outLength], new byte[outLength]);
        var (gi, fo) = (new float[length], new float[outLength]); // dx-sized and dy-sized
        // Zero or negative sizes.
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, 0, f, g, t, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxBackward(-1, h, w, b, fo, t, gi, false, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, 0, w, b, f, g, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, 0, b, fo, gi, true, stride));
        // Exactly the sizes the stride needs: accepted.
        BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g, t, stride);
        BatchMinorPoolKernel.MaxBackward(c, h, w, b, fo, t, gi, true, stride);
        BatchMinorPoolKernel.AvgForward(c, h, w, b, f, g, stride);
        BatchMinorPoolKernel.AvgBackward(c, h, w, b, fo, gi, true, stride);
        // One element short, each span in turn.
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f.AsSpan(1), g, t, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g.AsSpan(1), t, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g, t.AsSpan(1), stride));
        Assert.Throws<ArgumentException>(
            () => BatchMinorPoolKernel.MaxBackward(c, h, w, b, fo.AsSpan(1), t, gi, true, stride));
        Assert.Throws<ArgumentException>(
            () => BatchMinorPoolKernel.MaxBackward(c, h, w, b, fo, t.AsSpan(1), gi, true, stride));
        Assert.Throws<ArgumentException>(
            () => BatchMinorPoolKernel.MaxBackward(c, h, w, b, fo, t, gi.AsSpan(1), true, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, h, w, b, f.AsSpan(1), g, stride));
        Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, h, w, b, f, g.AsSpan(1), stride));
        Assert.Throws<ArgumentException>(
            () => BatchMinorPoolKernel.AvgBackward(c, h, w, b, fo.AsSpan(1), gi, false, stride));
        Assert.Throws<ArgumentException>(
            () => BatchMinorPoolKernel.AvgBackward(c, h, w, b, fo, gi.AsSpan(1), false, stride));
        if (stride == 2)
        {
            // An output-sized span is too short where an input-sized one is needed (x, dx).
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, g, g, t, stride));
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, w, b, fo, fo, true, stride));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-1)]
    public void Bad_stride_throws_ArgumentException_naming_it(int stride)
    {
        const int c = 2, h = 7, w = 7, b = 17, length = c * h * w * b;
        var (f, g, t) = (new float[length], new float[length], new byte[length]);
        var thrown = new[]
        {
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g, t, stride)),
            Assert.Throws<ArgumentException>(
                () => BatchMinorPoolKernel.MaxBackward(c, h, w, b, f, t, g, false, stride)),
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgForward(c, h, w, b, f, g, stride)),
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.AvgBackward(c, h, w, b, f, g, true, stride)),
            Assert.Throws<ArgumentException>(
                () => BatchMinorPoolKernel.MaxForward(c, h, w, b, f, g, t, stride, SimdWidth.Scalar)),
            Assert.Throws<ArgumentException>(() => BatchMinorPoolKernel.OutputSize(h, stride)),
        };
        foreach (var e in thrown)
        {
            Assert.Equal("stride", e.ParamName);
            Assert.Contains($"stride {stride}", e.Message);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Longer_spans_are_accepted_and_their_tails_left_alone(int stride)
    {
        const int c = 2, h = 7, w = 7, b = 17, length = c * h * w * b;
        var (oh, ow) = Out(h, w, stride);
        int outLength = c * oh * ow * b;
        var x = Random(length + 5, 15);
        var dy = Random(outLength + 5, 19);
        var (y, tap, dx) = (new float[outLength + 5], new byte[outLength + 5], new float[length + 5]);
        y.AsSpan(outLength).Fill(42f);
        tap.AsSpan(outLength).Fill(42);
        dx.AsSpan(length).Fill(42f);
        BatchMinorPoolKernel.MaxForward(c, h, w, b, x, y, tap, stride);
        BatchMinorPoolKernel.AvgForward(c, h, w, b, x, y, stride);
        BatchMinorPoolKernel.AvgBackward(c, h, w, b, dy, dx, accumulate: true, stride);
        BatchMinorPoolKernel.MaxBackward(c, h, w, b, dy, tap, dx, accumulate: false, stride);
        Assert.All(y[outLength..], v => Assert.Equal(42f, v));
        Assert.All(tap[outLength..], v => Assert.Equal(42, v));
        Assert.All(dx[length..], v => Assert.Equal(42f, v));
    }

    private static (int OutHeight, int OutWidth) Out(int height, int width, int stride) =>
        (((height + 2 - 3) / stride) + 1, ((width + 2 - 3) / stride) + 1);

    /// <summary>The definition, one image lane at a time: output (oy, ox) looks at input rows oy·stride − 1 ..
    /// oy·stride + 1 (likewise columns); the first in-bounds cell seeds the maximum, a later cell replaces it only when
    /// strictly greater.</summary>
    private static void MaxForwardReference(int channels, int h, int w, int batch, int stride, float[] x, float[] y,
        byte[] tap)
    {
        var (oh, ow) = Out(h, w, stride);
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int n = 0; n < batch; n++)
        {
            float best = 0;
            int arg = -1;
            for (int k = 0; k < 9; k++)
            {
                int iy = (oy * stride) + (k / 3) - 1, ix = (ox * stride) + (k % 3) - 1;
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
            y[At(oh, ow, batch, c, oy, ox, n)] = best;
            tap[At(oh, ow, batch, c, oy, ox, n)] = (byte)arg;
        }
    }

    /// <summary>A scatter in output order (the kernel gathers): dx (cleared unless accumulating) += dy at the cell
    /// each tap names.</summary>
    private static void MaxBackwardReference(int channels, int h, int w, int batch, int stride, float[] dy,
        byte[] tap, float[] dx, bool accumulate)
    {
        var (oh, ow) = Out(h, w, stride);
        if (!accumulate)
        {
            Array.Clear(dx);
        }
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int n = 0; n < batch; n++)
        {
            long o = At(oh, ow, batch, c, oy, ox, n);
            int iy = (oy * stride) + (tap[o] / 3) - 1, ix = (ox * stride) + (tap[o] % 3) - 1;
            dx[At(h, w, batch, c, iy, ix, n)] += dy[o];
        }
    }

    private static void AvgForwardReference(int channels, int h, int w, int batch, int stride, float[] x, float[] y)
    {
        var (oh, ow) = Out(h, w, stride);
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int n = 0; n < batch; n++)
        {
            double sum = 0;
            int count = 0;
            int cy = oy * stride, cx = ox * stride;
            for (int iy = Math.Max(0, cy - 1); iy <= Math.Min(h - 1, cy + 1); iy++)
            for (int ix = Math.Max(0, cx - 1); ix <= Math.Min(w - 1, cx + 1); ix++)
            {
                sum += x[At(h, w, batch, c, iy, ix, n)];
                count++;
            }
            y[At(oh, ow, batch, c, oy, ox, n)] = (float)(sum / count);
        }
    }

    /// <summary>In double: dx (or 0) + Σ dy/count over the outputs whose window holds the cell, by scatter.</summary>
    private static void AvgBackwardReference(int channels, int h, int w, int batch, int stride, float[] dy,
        float[] dx, bool accumulate)
    {
        var (oh, ow) = Out(h, w, stride);
        var sum = new double[dx.Length];
        for (int i = 0; i < dx.Length; i++)
        {
            sum[i] = accumulate ? dx[i] : 0;
        }
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int n = 0; n < batch; n++)
        {
            int cy = oy * stride, cx = ox * stride;
            int rows = Math.Min(h - 1, cy + 1) - Math.Max(0, cy - 1) + 1;
            int cols = Math.Min(w - 1, cx + 1) - Math.Max(0, cx - 1) + 1;
            double share = (double)dy[At(oh, ow, batch, c, oy, ox, n)] / (rows * cols);
            for (int iy = Math.Max(0, cy - 1); iy <= Math.Min(h - 1, cy + 1); iy++)
            for (int ix = Math.Max(0, cx - 1); ix <= Math.Min(w - 1, cx + 1); ix++)
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
    private static void AssertTapsMatchArgmax(int channels, int h, int w, int batch, int stride, byte[] tap,
        int[] argN, string what)
    {
        var (oh, ow) = Out(h, w, stride);
        for (int c = 0; c < channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int n = 0; n < batch; n++)
        {
            int k = tap[At(oh, ow, batch, c, oy, ox, n)];
            int cell = (((oy * stride) + (k / 3) - 1) * w) + (ox * stride) + (k % 3) - 1;
            int arg = argN[(((long)n * channels) + c) * oh * ow + (oy * ow) + ox];
            Assert.True(k <= 8 && cell == arg,
                $"{what}: tap {k} at ({c}, {oy}, {ox}, {n}) names cell {cell}, the reference's argmax is {arg}.");
        }
    }

    private static long At(int h, int w, int batch, int c, int iy, int ix, int n) =>
        ((((long)c * h * w) + (iy * w) + ix) * batch) + n;

    /// <summary>Batch-minor (c, p, n) to NCHW for a channels×h×w plane (the input's or the output's).</summary>
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

using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Pooling;

public class PoolingKernelTests
{
    /// <summary>Odd planes (5×7, 7×5, 1×1), one wider than a 256-bit vector, DARTS-like 28×28, 14×14 and 7×7; for the
    /// 512-bit 3×3 path rows of exactly one vector (16), with a middle vector (33), a single row (1×20) and a 4×4
    /// plane of 16 cells; batch 1 and 3; k 1–5, stride 1–3, padding 0–2, wherever the geometry is valid.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, int>();
        int[][] planes =
        [
            [1, 1, 5, 7], [3, 2, 5, 7], [1, 1, 1, 1], [3, 1, 7, 5], [2, 3, 9, 21], [1, 2, 28, 28], [2, 2, 14, 14],
            [1, 3, 7, 7], [2, 2, 5, 16], [1, 2, 6, 33], [2, 1, 1, 20], [1, 2, 4, 4],
        ];
        foreach (int[] p in planes)
        foreach (int k in new[] { 1, 2, 3, 4, 5 })
        foreach (int stride in new[] { 1, 2, 3 })
        foreach (int pad in new[] { 0, 1, 2 })
        {
            var s = new Pool2dShape(p[0], p[1], p[2], p[3], k, stride, pad);
            bool common = k is 2 or 3 && stride <= 2 && pad <= 1;
            bool extra = (k, stride, pad) is (1, 1, 0) or (1, 2, 0) or (4, 3, 2) or (5, 1, 2) or (5, 2, 2) or (4, 2, 1);
            if ((common || extra) && IsValid(s))
            {
                data.Add(p[0], p[1], p[2], p[3], k, stride, pad);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxForward_matches_reference_bit_for_bit(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var s = new Pool2dShape(n, c, h, w, k, stride, pad);
        foreach (var x in new[] { Random(s.InputLength, 1), Ties(s.InputLength, 2), WithInfinities(s.InputLength, 3) })
        {
            var (y, arg) = (new float[s.OutputLength], new int[s.OutputLength]);
            var (yRef, argRef) = (new float[s.OutputLength], new int[s.OutputLength]);
            PoolingKernel.MaxForward(s, x, y, arg);
            PoolingReference.MaxForward(s, x, yRef, argRef);
            Assert.Equal(yRef, y);
            Assert.Equal(argRef, arg);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxBackward_matches_reference_bit_for_bit(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var s = new Pool2dShape(n, c, h, w, k, stride, pad);
        var x = Ties(s.InputLength, 4);
        var (y, arg) = (new float[s.OutputLength], new int[s.OutputLength]);
        PoolingReference.MaxForward(s, x, y, arg);
        var dy = Random(s.OutputLength, 5);
        foreach (bool accumulate in new[] { false, true })
        {
            var dx = Random(s.InputLength, 6);
            var dxRef = (float[])dx.Clone();
            PoolingKernel.MaxBackward(s, dy, arg, dx, accumulate);
            PoolingReference.MaxBackward(s, dy, arg, dxRef, accumulate);
            Assert.Equal(dxRef, dx);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgForward_matches_reference(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var s = new Pool2dShape(n, c, h, w, k, stride, pad);
        var x = Random(s.InputLength, 7);
        var (y, yRef) = (new float[s.OutputLength], new float[s.OutputLength]);
        PoolingKernel.AvgForward(s, x, y);
        PoolingReference.AvgForward(s, x, yRef);
        AssertClose(yRef, y, 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgBackward_matches_reference(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var s = new Pool2dShape(n, c, h, w, k, stride, pad);
        var dy = Random(s.OutputLength, 8);
        foreach (bool accumulate in new[] { false, true })
        {
            var dx = Random(s.InputLength, 9);
            var dxRef = (float[])dx.Clone();
            PoolingKernel.AvgBackward(s, dy, dx, accumulate);
            PoolingReference.AvgBackward(s, dy, dxRef, accumulate);
            AssertClose(dxRef, dx, 1e-5f);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(2, 3, 49)]
    [InlineData(1, 2, 1031)]
    [InlineData(64, 4, 64)]
    public void GlobalAvg_forward_and_backward_match_reference(int batch, int channels, int planeSize)
    {
        int planes = batch * channels;
        var x = Random(planes * planeSize, 10);
        var (y, yRef) = (new float[planes], new float[planes]);
        PoolingKernel.GlobalAvgForward(batch, channels, planeSize, x, y);
        PoolingReference.GlobalAvgForward(batch, channels, planeSize, x, yRef);
        AssertClose(yRef, y, 1e-5f);
        foreach (bool accumulate in new[] { false, true })
        {
            var dx = Random(planes * planeSize, 11);
            var dxRef = (float[])dx.Clone();
            PoolingKernel.GlobalAvgBackward(batch, channels, planeSize, yRef, dx, accumulate);
            PoolingReference.GlobalAvgBackward(batch, channels, planeSize, yRef, dxRef, accumulate);
            AssertClose(dxRef, dx, 1e-5f);
        }
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(2, 2, 0)]
    public void One_and_two_threads_give_identical_bits(int k, int stride, int pad)
    {
        // 4·16 planes of 28×28: several fixed chunks, so two threads really split the work.
        var s = new Pool2dShape(4, 16, 28, 28, k, stride, pad);
        var x = Ties(s.InputLength, 12);
        var dy = Random(s.OutputLength, 13);
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var (y, arg, dx) = (new float[s.OutputLength], new int[s.OutputLength], Random(s.InputLength, 14));
            PoolingKernel.MaxForward(s, x, y, arg);
            PoolingKernel.MaxBackward(s, dy, arg, dx, accumulate: true);
            var (ya, dxa) = (new float[s.OutputLength], Random(s.InputLength, 15));
            PoolingKernel.AvgForward(s, x, ya);
            PoolingKernel.AvgBackward(s, dy, dxa, accumulate: true);
            var (g, dg) = (new float[64], new float[s.InputLength]);
            PoolingKernel.GlobalAvgForward(4, 16, 784, x, g);
            PoolingKernel.GlobalAvgBackward(4, 16, 784, g, dg, accumulate: false);
            return [y, arg.Select(i => (float)i).ToArray(), dx, ya, dxa, g, dg];
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }
    }

    [Theory]
    [InlineData(1, 1, 5, 5, 3, 1, 2)] // padding over half the kernel
    [InlineData(1, 1, 5, 5, 3, 0, 1)] // stride 0
    [InlineData(1, 1, 2, 2, 5, 1, 1)] // window larger than the padded input
    [InlineData(0, 1, 5, 5, 3, 1, 1)] // empty batch
    [InlineData(1, 1, 5, 5, 0, 1, 0)] // empty kernel
    [InlineData(1, 1, 5, 5, 3, 1, -1)] // negative padding
    public void Bad_geometry_throws_ArgumentException(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var s = new Pool2dShape(n, c, h, w, k, stride, pad);
        var x = new float[100];
        var y = new float[100];
        var arg = new int[100];
        Assert.Throws<ArgumentException>(() => PoolingKernel.MaxForward(s, x, y, arg));
        Assert.Throws<ArgumentException>(() => PoolingKernel.MaxBackward(s, y, arg, x, false));
        Assert.Throws<ArgumentException>(() => PoolingKernel.AvgForward(s, x, y));
        Assert.Throws<ArgumentException>(() => PoolingKernel.AvgBackward(s, y, x, true));
    }

    [Fact]
    public void Short_spans_and_stray_argmax_throw_ArgumentException()
    {
        var s = new Pool2dShape(2, 3, 5, 7, 3, 1, 1);
        var x = new float[s.InputLength];
        var y = new float[s.OutputLength];
        var arg = new int[s.OutputLength];
        Assert.Throws<ArgumentException>(() => PoolingKernel.MaxForward(s, x.AsSpan(1), y, arg));
        Assert.Throws<ArgumentException>(() => PoolingKernel.MaxForward(s, x, y, arg.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => PoolingKernel.AvgForward(s, x, y.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => PoolingKernel.GlobalAvgForward(2, 3, 35, x, new float[5]));
        Assert.Throws<ArgumentException>(() => PoolingKernel.GlobalAvgBackward(2, 0, 35, y, x, false));
        arg[7] = 35; // one past the 5×7 plane
        Assert.Throws<ArgumentException>(() => PoolingKernel.MaxBackward(s, y, arg, x, false));
    }

    [Fact]
    public void Max_ties_go_to_the_first_cell_in_scan_order()
    {
        // A constant plane: every window ties everywhere, so each argmax is its window's top-left cell inside the
        // input, padding never counting.
        var s = new Pool2dShape(1, 1, 6, 11, 3, 1, 1);
        var x = new float[s.InputLength];
        Array.Fill(x, 2f);
        var (y, arg) = (new float[s.OutputLength], new int[s.OutputLength]);
        PoolingKernel.MaxForward(s, x, y, arg);
        for (int oy = 0; oy < s.OutHeight; oy++)
        for (int ox = 0; ox < s.OutWidth; ox++)
        {
            int expected = (Math.Max(0, oy - 1) * s.Width) + Math.Max(0, ox - 1);
            Assert.Equal(expected, arg[(oy * s.OutWidth) + ox]);
        }
    }

    /// <summary>Values from {−0, +0, −1}: the max must keep the first zero's sign and index, as the reference's strict
    /// &gt; does (an IEEE max would order −0 below +0). Compared as bits.</summary>
    [Theory]
    [InlineData(3, 28, 28, 1)]
    [InlineData(3, 28, 28, 2)]
    [InlineData(2, 9, 21, 1)]
    [InlineData(3, 14, 14, 1)]
    [InlineData(3, 14, 14, 2)]
    [InlineData(4, 7, 7, 1)]
    public void Max_keeps_the_sign_of_the_first_tied_zero(int planes, int h, int w, int stride)
    {
        var s = new Pool2dShape(1, planes, h, w, 3, stride, 1);
        var rng = new Random(17);
        var x = new float[s.InputLength];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Next(3) switch { 0 => -0f, 1 => 0f, _ => -1f };
        }
        AssertMaxForwardBits(s, x);
    }

    /// <summary>NaN anywhere in a plane: that plane leaves the 3×3 fast path, and the reference's rule (a NaN in a
    /// window's first valid cell sticks, later ones never win) still holds bit for bit.</summary>
    [Theory]
    [InlineData(28, 1)]
    [InlineData(28, 2)]
    [InlineData(14, 1)]
    [InlineData(14, 2)]
    [InlineData(7, 1)]
    public void Max_follows_the_reference_on_NaN(int side, int stride)
    {
        var s = new Pool2dShape(2, 3, side, side, 3, stride, 1);
        var x = Random(s.InputLength, 18);
        var rng = new Random(19);
        for (int i = 0; i < 40; i++)
        {
            x[rng.Next(x.Length)] = float.NaN;
        }
        AssertMaxForwardBits(s, x);
    }

    private static void AssertMaxForwardBits(Pool2dShape s, float[] x)
    {
        var (y, arg) = (new float[s.OutputLength], new int[s.OutputLength]);
        var (yRef, argRef) = (new float[s.OutputLength], new int[s.OutputLength]);
        PoolingKernel.MaxForward(s, x, y, arg);
        PoolingReference.MaxForward(s, x, yRef, argRef);
        Assert.Equal(argRef, arg);
        Assert.Equal(yRef.Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
    }

    private static bool IsValid(Pool2dShape s)
    {
        try
        {
            s.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
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

    /// <summary>Values from {−1, 0, 1}: most windows hold tied maxima.</summary>
    private static float[] Ties(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.Next(3) - 1;
        }
        return a;
    }

    /// <summary>Mostly −∞ with a few finite values: windows whose cells are all −∞ must still point into the input.
    /// </summary>
    private static float[] WithInfinities(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.Next(5) == 0 ? rng.Next(3) : float.NegativeInfinity;
        }
        return a;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float bound = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound,
                $"Element {i}: expected {expected[i]}, got {actual[i]} (bound {bound}).");
        }
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Elementwise;

/// <summary>The short-row copies against scalar loops at every length that picks a different path (scalar, two
/// overlapping 128-bit vectors, 256-bit, 512-bit with an overlapping last vector), with neighbours that must stay
/// untouched.</summary>
public unsafe class RowCopyTests
{
    public static TheoryData<int> Lengths => [.. Enumerable.Range(0, 41).Concat([63, 64, 65, 100])];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Copy_CopyAdd_CopyRelu_and_Add_match_scalar_loops(int n)
    {
        var rng = new Random(n);
        float[] src = [.. Enumerable.Range(0, n + 2).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        src[1 + (n / 2)] = float.NaN; // NaN passes through a copy, and through max(·, 0) as NaN
        Check(n, src, (s, d, len) => RowCopy.Copy(s, d, len), x => x);
        Check(n, src, (s, d, len) => RowCopy.CopyAdd(s, 0.25f, d, len), x => x + 0.25f);
        Check(n, src, (s, d, len) => RowCopy.CopyRelu(s, d, len), x => MathF.Max(x, 0f));
        Check(n, src, (s, d, len) => RowCopy.Add(s, d, len), x => 3f + x, initial: 3f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Rows_matches_a_scalar_loop_per_row_and_leaves_the_gaps_between_rows_alone(int n)
    {
        const int rows = 5;
        int srcStride = n + 5, dstStride = n + 3;
        var rng = new Random(300 + n);
        float[] src = [.. Enumerable.Range(0, rows * srcStride).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        src[srcStride + (n / 2)] = float.NaN; // through max(·, 0) as NaN, as CopyRelu
        foreach (var op in new[] { RowCopy.RowOp.Copy, RowCopy.RowOp.Relu, RowCopy.RowOp.Add })
        {
            // Between and after the rows: 7, which must survive; Add starts from 3 inside the rows.
            var dst = Enumerable.Repeat(7f, (rows * dstStride) + 1).ToArray();
            for (int r = 0; r < rows; r++)
            {
                Array.Fill(dst, 3f, r * dstStride, n);
            }
            fixed (float* ps = src, pd = dst)
            {
                RowCopy.Rows(ps, srcStride, pd, dstStride, rows, n, op);
            }
            for (int i = 0; i < dst.Length; i++)
            {
                int r = i / dstStride, c = i % dstStride;
                if (r >= rows || c >= n)
                {
                    Assert.Equal(7f, dst[i]);
                    continue;
                }
                float v = src[(r * srcStride) + c];
                float expected = op switch
                {
                    RowCopy.RowOp.Relu => MathF.Max(v, 0f),
                    RowCopy.RowOp.Add => 3f + v,
                    _ => v,
                };
                Assert.Equal(expected, dst[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void GatherEven_matches_a_scalar_loop_with_and_without_relu(int n)
    {
        var rng = new Random(100 + n);
        // src[1 + 2c] for c < n is read; src[2n] (index 2n − 1 of the row) is past the row end and poisoned.
        float[] src = [.. Enumerable.Range(0, (2 * n) + 2).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        src[2 * n] = float.PositiveInfinity;
        foreach (bool relu in new[] { false, true })
        {
            var dst = Enumerable.Repeat(7f, n + 2).ToArray();
            fixed (float* ps = src, pd = dst)
            {
                RowCopy.GatherEven(ps + 1, pd + 1, n, relu);
            }
            Assert.Equal(7f, dst[0]);
            Assert.Equal(7f, dst[n + 1]);
            for (int c = 0; c < n; c++)
            {
                float v = src[1 + (2 * c)];
                Assert.Equal(relu ? MathF.Max(v, 0f) : v, dst[1 + c]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Interleave_matches_a_scalar_loop_and_reads_only_its_halves(int n)
    {
        var rng = new Random(200 + n);
        // a holds ⌈n/2⌉ values and b ⌊n/2⌋; the float after each is poisoned, so a read past either shows as ∞.
        float[] a = [.. Enumerable.Range(0, ((n + 1) / 2) + 1).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        float[] b = [.. Enumerable.Range(0, (n / 2) + 1).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        a[^1] = float.PositiveInfinity;
        b[^1] = float.PositiveInfinity;
        foreach (bool accumulate in new[] { false, true })
        {
            var dst = Enumerable.Repeat(7f, n + 2).ToArray();
            fixed (float* pa = a, pb = b, pd = dst)
            {
                RowCopy.Interleave(pa, pb, pd + 1, n, accumulate);
            }
            Assert.Equal(7f, dst[0]);
            Assert.Equal(7f, dst[n + 1]);
            for (int i = 0; i < n; i++)
            {
                float v = (i % 2 == 0) ? a[i / 2] : b[i / 2];
                Assert.Equal(accumulate ? 7f + v : v, dst[1 + i]);
            }
        }
    }

    private delegate void RowOp(float* src, float* dst, int n);

    /// <summary>Runs <paramref name="op"/> on src[1..n] into dst[1..n] of an n + 2 buffer filled with
    /// <paramref name="initial"/>; dst[0] and dst[n + 1] must keep it.</summary>
    private static void Check(int n, float[] src, RowOp op, Func<float, float> expected, float initial = 7f)
    {
        var dst = Enumerable.Repeat(initial, n + 2).ToArray();
        fixed (float* ps = src, pd = dst)
        {
            op(ps + 1, pd + 1, n);
        }
        Assert.Equal(initial, dst[0]);
        Assert.Equal(initial, dst[n + 1]);
        for (int i = 1; i <= n; i++)
        {
            Assert.Equal(expected(src[i]), dst[i]);
        }
    }
}

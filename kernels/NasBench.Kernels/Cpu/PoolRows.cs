using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>Row primitives for separable pooling: a k-wide window along a row, then a reduction down a column of rows.
/// </summary>
/// <remarks>
/// A k×k max or sum splits into a row pass and a column pass, k + k operations per output instead of k·k. The max
/// keeps the reference's tie rule (first maximum in row-major scan order wins): the row pass keeps the first maximum
/// of each row (strict <c>&gt;</c>), the column pass the first row whose maximum is strictly larger, and together
/// that is the lexicographically first (ky, kx). Two families: the general ones (any stride and padding) work row by
/// row over windows wholly inside the row, with scalar code for clipped windows; the Same* ones (stride 1,
/// 2·pad = k − 1, the DARTS pools) run flat over a whole plane and mask off, per lane, cells outside the lane's row
/// or plane, so small planes (7×7) vectorise as well as large ones. Vector loops let the last vector overlap the one
/// before it (recomputing equal values) instead of a scalar tail. 256-bit vectors: Zen 4 runs 512-bit ops as two
/// halves (docs/peers.md), and pooling rows are short.
/// </remarks>
internal static class PoolRows
{
    private static readonly Vector256<int> Iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>dst[j] = max of row over [j − pad, j − pad + k) clipped to the row; dstArg[j] = its column.</summary>
    public static void SlidingMax(ReadOnlySpan<float> row, int k, int pad, Span<float> dst, Span<int> dstArg)
    {
        int n = dst.Length;
        InteriorRange(row.Length, k, pad, n, out int lo, out int hi);
        for (int j = 0; j < lo; j++)
        {
            ClippedMax(row, j - pad, k, out dst[j], out dstArg[j]);
        }
        for (int j = hi; j < n; j++)
        {
            ClippedMax(row, j - pad, k, out dst[j], out dstArg[j]);
        }
        int width = Vector256<float>.Count;
        if (!Vector256.IsHardwareAccelerated || hi - lo < width)
        {
            for (int j = lo; j < hi; j++)
            {
                ClippedMax(row, j - pad, k, out dst[j], out dstArg[j]);
            }
            return;
        }
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float d = ref MemoryMarshal.GetReference(dst);
        ref int a = ref MemoryMarshal.GetReference(dstArg);
        for (int j = lo; j < hi; j += width)
        {
            int js = Math.Min(j, hi - width), start = js - pad;
            var best = Vector256.LoadUnsafe(ref r, (nuint)start);
            var arg = Iota + Vector256.Create(start);
            for (int kx = 1; kx < k; kx++)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)(start + kx));
                var take = Vector256.GreaterThan(v, best);
                best = Vector256.ConditionalSelect(take, v, best);
                arg = Vector256.ConditionalSelect(take.AsInt32(), Iota + Vector256.Create(start + kx), arg);
            }
            best.StoreUnsafe(ref d, (nuint)js);
            arg.StoreUnsafe(ref a, (nuint)js);
        }
    }

    /// <summary>dst[j] (= or +=) sum of row over [j − pad, j − pad + k) clipped to the row.</summary>
    public static void SlidingSum(ReadOnlySpan<float> row, int k, int pad, Span<float> dst, bool accumulate)
    {
        int n = dst.Length;
        InteriorRange(row.Length, k, pad, n, out int lo, out int hi);
        for (int j = 0; j < lo; j++)
        {
            StoreScalar(dst, j, ClippedSum(row, j - pad, k), accumulate);
        }
        for (int j = hi; j < n; j++)
        {
            StoreScalar(dst, j, ClippedSum(row, j - pad, k), accumulate);
        }
        int width = Vector256<float>.Count;
        if (!Vector256.IsHardwareAccelerated || hi - lo < width)
        {
            for (int j = lo; j < hi; j++)
            {
                StoreScalar(dst, j, ClippedSum(row, j - pad, k), accumulate);
            }
            return;
        }
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float d = ref MemoryMarshal.GetReference(dst);
        // With accumulate the overlapped tail must not add twice: finish the vector body, then the tail in scalar.
        int vecEnd = accumulate ? lo + ((hi - lo) / width * width) : hi;
        for (int j = lo; j < vecEnd; j += width)
        {
            int js = Math.Min(j, vecEnd - width), start = js - pad;
            var sum = Vector256.LoadUnsafe(ref r, (nuint)start);
            for (int kx = 1; kx < k; kx++)
            {
                sum += Vector256.LoadUnsafe(ref r, (nuint)(start + kx));
            }
            if (accumulate)
            {
                sum += Vector256.LoadUnsafe(ref d, (nuint)js);
            }
            sum.StoreUnsafe(ref d, (nuint)js);
        }
        for (int j = vecEnd; j < hi; j++)
        {
            StoreScalar(dst, j, ClippedSum(row, j - pad, k), accumulate);
        }
    }

    /// <summary>Column max over rows [r0, r1) of an n-wide row-major block; arg = flat plane index row·width + column.
    /// </summary>
    public static void ColumnMax(ReadOnlySpan<float> rows, ReadOnlySpan<int> cols, int n, int r0, int r1, int width,
        Span<float> y, Span<int> arg)
    {
        int vw = Vector256<float>.Count, j = 0;
        if (Vector256.IsHardwareAccelerated && n >= vw)
        {
            ref float src = ref MemoryMarshal.GetReference(rows);
            ref int col = ref MemoryMarshal.GetReference(cols);
            ref float yd = ref MemoryMarshal.GetReference(y);
            ref int ad = ref MemoryMarshal.GetReference(arg);
            for (; j < n; j += vw)
            {
                int js = Math.Min(j, n - vw);
                nuint at = (nuint)((r0 * n) + js);
                var best = Vector256.LoadUnsafe(ref src, at);
                var idx = Vector256.LoadUnsafe(ref col, at) + Vector256.Create(r0 * width);
                for (int r = r0 + 1; r < r1; r++)
                {
                    at = (nuint)((r * n) + js);
                    var v = Vector256.LoadUnsafe(ref src, at);
                    var take = Vector256.GreaterThan(v, best);
                    best = Vector256.ConditionalSelect(take, v, best);
                    idx = Vector256.ConditionalSelect(take.AsInt32(),
                        Vector256.LoadUnsafe(ref col, at) + Vector256.Create(r * width), idx);
                }
                best.StoreUnsafe(ref yd, (nuint)js);
                idx.StoreUnsafe(ref ad, (nuint)js);
            }
            return;
        }
        for (; j < n; j++)
        {
            float best = rows[(r0 * n) + j];
            int idx = cols[(r0 * n) + j] + (r0 * width);
            for (int r = r0 + 1; r < r1; r++)
            {
                float v = rows[(r * n) + j];
                if (v > best)
                {
                    best = v;
                    idx = cols[(r * n) + j] + (r * width);
                }
            }
            y[j] = best;
            arg[j] = idx;
        }
    }

    /// <summary>dst = sum of rows [r0, r1) of an n-wide row-major block (zero for an empty range), divided by
    /// rowCount·counts[j] when <paramref name="counts"/> is not empty.</summary>
    public static void ColumnSum(ReadOnlySpan<float> rows, int n, int r0, int r1, ReadOnlySpan<float> counts,
        float rowCount, Span<float> dst)
    {
        bool divide = !counts.IsEmpty;
        int vw = Vector256<float>.Count, j = 0;
        if (Vector256.IsHardwareAccelerated && n >= vw)
        {
            ref float src = ref MemoryMarshal.GetReference(rows);
            ref float cnt = ref MemoryMarshal.GetReference(counts);
            ref float d = ref MemoryMarshal.GetReference(dst);
            for (; j < n; j += vw)
            {
                int js = Math.Min(j, n - vw);
                var sum = Vector256<float>.Zero;
                for (int r = r0; r < r1; r++)
                {
                    sum += Vector256.LoadUnsafe(ref src, (nuint)((r * n) + js));
                }
                if (divide)
                {
                    sum /= Vector256.LoadUnsafe(ref cnt, (nuint)js) * Vector256.Create(rowCount);
                }
                sum.StoreUnsafe(ref d, (nuint)js);
            }
            return;
        }
        for (; j < n; j++)
        {
            float sum = 0;
            for (int r = r0; r < r1; r++)
            {
                sum += rows[(r * n) + j];
            }
            dst[j] = divide ? sum / (counts[j] * rowCount) : sum;
        }
    }

    /// <summary>Row pass of a same-padded k-window (k = 2·pad + 1) over a whole [rows, w] plane at once:
    /// dst[f] = max of src over the cells of [f − pad, f + pad] in f's row; dstArg[f] = flat index of the first one.
    /// </summary>
    /// <remarks>Vectors run flat across row ends; a lane's cells outside its row are masked off using
    /// <paramref name="columnOf"/> (f mod w), so no edge column needs a scalar fix. The take rule is the reference's:
    /// a cell wins when it beats the best so far or is the first valid one (NaN in first place sticks).</remarks>
    public static void SameRowMax(ReadOnlySpan<float> src, int k, int pad, int w, ReadOnlySpan<int> columnOf,
        Span<float> dst, Span<int> dstArg)
    {
        int len = src.Length, vw = Vector256<float>.Count;
        if (dst.Length < len || dstArg.Length < len || columnOf.Length < len)
        {
            throw new ArgumentException("SameRowMax spans are shorter than the plane.");
        }
        int lo = pad, hi = len - pad, f = 0;
        if (Vector256.IsHardwareAccelerated && hi - lo >= vw)
        {
            ref float sr = ref MemoryMarshal.GetReference(src);
            ref int cr = ref MemoryMarshal.GetReference(columnOf);
            ref float d = ref MemoryMarshal.GetReference(dst);
            ref int a = ref MemoryMarshal.GetReference(dstArg);
            var width = Vector256.Create((uint)w);
            for (int i = lo; i < hi; i += vw)
            {
                int js = Math.Min(i, hi - vw);
                var col = Vector256.LoadUnsafe(ref cr, (nuint)js);
                var best = Vector256.Create(float.NegativeInfinity);
                var arg = Vector256.Create(-1);
                for (int t = 0; t < k; t++)
                {
                    int at = js - pad + t;
                    var v = Vector256.LoadUnsafe(ref sr, (nuint)at);
                    var take = Vector256.GreaterThan(v, best) | Vector256.LessThan(arg, Vector256<int>.Zero).AsSingle();
                    if (t != pad)
                    {
                        take &= Vector256.LessThan((col + Vector256.Create(t - pad)).AsUInt32(), width).AsSingle();
                    }
                    best = Vector256.ConditionalSelect(take, v, best);
                    arg = Vector256.ConditionalSelect(take.AsInt32(), Iota + Vector256.Create(at), arg);
                }
                best.StoreUnsafe(ref d, (nuint)js);
                arg.StoreUnsafe(ref a, (nuint)js);
            }
            f = hi;
        }
        // The first and last pad positions (their windows reach outside the plane), or everything without vectors.
        bool vectorsDone = f == hi;
        for (int i = 0; i < len; i++)
        {
            if (vectorsDone && i == lo)
            {
                i = hi - 1;
                continue;
            }
            int row = i / w, j = i - (row * w);
            ClippedMax(src.Slice(row * w, w), j - pad, k, out float best, out int col);
            dst[i] = best;
            dstArg[i] = (row * w) + col;
        }
    }

    /// <summary>Row pass of a same-padded k-window sum over a whole [rows, w] plane; see <see cref="SameRowMax"/>.
    /// </summary>
    public static void SameRowSum(ReadOnlySpan<float> src, int k, int pad, int w, ReadOnlySpan<int> columnOf,
        Span<float> dst)
    {
        int len = src.Length, vw = Vector256<float>.Count;
        if (dst.Length < len || columnOf.Length < len)
        {
            throw new ArgumentException("SameRowSum spans are shorter than the plane.");
        }
        int lo = pad, hi = len - pad, f = 0;
        if (Vector256.IsHardwareAccelerated && hi - lo >= vw)
        {
            ref float sr = ref MemoryMarshal.GetReference(src);
            ref int cr = ref MemoryMarshal.GetReference(columnOf);
            ref float d = ref MemoryMarshal.GetReference(dst);
            var width = Vector256.Create((uint)w);
            for (int i = lo; i < hi; i += vw)
            {
                int js = Math.Min(i, hi - vw);
                var col = Vector256.LoadUnsafe(ref cr, (nuint)js);
                var sum = Vector256.LoadUnsafe(ref sr, (nuint)(js - pad));
                if (pad != 0)
                {
                    sum &= Vector256.LessThan((col - Vector256.Create(pad)).AsUInt32(), width).AsSingle();
                }
                for (int t = 1; t < k; t++)
                {
                    var v = Vector256.LoadUnsafe(ref sr, (nuint)(js - pad + t));
                    if (t != pad)
                    {
                        v &= Vector256.LessThan((col + Vector256.Create(t - pad)).AsUInt32(), width).AsSingle();
                    }
                    sum += v;
                }
                sum.StoreUnsafe(ref d, (nuint)js);
            }
            f = hi;
        }
        bool vectorsDone = f == hi;
        for (int i = 0; i < len; i++)
        {
            if (vectorsDone && i == lo)
            {
                i = hi - 1;
                continue;
            }
            int row = i / w, j = i - (row * w);
            dst[i] = ClippedSum(src.Slice(row * w, w), j - pad, k);
        }
    }

    /// <summary>Column pass of a same-padded k-window over a whole plane of <paramref name="len"/> cells, w per row:
    /// dst[f] = max over the rows f/w − pad .. f/w + pad that exist, dstArg[f] = srcArg of the first maximum.</summary>
    /// <remarks>src and srcArg hold the plane after pad·w guard cells (and before as many): lane f reads
    /// src[f + t·w], and rows outside the plane, whatever the guards hold, are masked off. Same take rule as
    /// <see cref="SameRowMax"/>.</remarks>
    public static void SameColumnMax(ReadOnlySpan<float> src, ReadOnlySpan<int> srcArg, int k, int pad, int w,
        int len, Span<float> dst, Span<int> dstArg)
    {
        int vw = Vector256<float>.Count;
        if (src.Length < len + (2 * pad * w) || srcArg.Length < len + (2 * pad * w) || dst.Length < len ||
            dstArg.Length < len)
        {
            throw new ArgumentException("SameColumnMax spans are shorter than the guarded plane.");
        }
        if (Vector256.IsHardwareAccelerated && len >= vw)
        {
            ref float sr = ref MemoryMarshal.GetReference(src);
            ref int sa = ref MemoryMarshal.GetReference(srcArg);
            ref float d = ref MemoryMarshal.GetReference(dst);
            ref int a = ref MemoryMarshal.GetReference(dstArg);
            var cells = Vector256.Create((uint)len);
            for (int i = 0; i < len; i += vw)
            {
                int js = Math.Min(i, len - vw);
                var best = Vector256.Create(float.NegativeInfinity);
                var arg = Vector256.Create(-1);
                for (int t = 0; t < k; t++)
                {
                    nuint at = (nuint)(js + (t * w));
                    var v = Vector256.LoadUnsafe(ref sr, at);
                    var take = Vector256.GreaterThan(v, best) | Vector256.LessThan(arg, Vector256<int>.Zero).AsSingle();
                    if (t != pad)
                    {
                        var cell = Iota + Vector256.Create(js + ((t - pad) * w));
                        take &= Vector256.LessThan(cell.AsUInt32(), cells).AsSingle();
                    }
                    best = Vector256.ConditionalSelect(take, v, best);
                    arg = Vector256.ConditionalSelect(take.AsInt32(), Vector256.LoadUnsafe(ref sa, at), arg);
                }
                best.StoreUnsafe(ref d, (nuint)js);
                arg.StoreUnsafe(ref a, (nuint)js);
            }
            return;
        }
        for (int f = 0; f < len; f++)
        {
            float best = float.NegativeInfinity;
            int arg = -1;
            for (int t = 0; t < k; t++)
            {
                int cell = f + ((t - pad) * w);
                if ((uint)cell < (uint)len && (src[f + (t * w)] > best || arg < 0))
                {
                    best = src[f + (t * w)];
                    arg = srcArg[f + (t * w)];
                }
            }
            dst[f] = best;
            dstArg[f] = arg;
        }
    }

    /// <summary>Column pass of a same-padded k-window sum; layout and masking as <see cref="SameColumnMax"/>.</summary>
    public static void SameColumnSum(ReadOnlySpan<float> src, int k, int pad, int w, int len, Span<float> dst)
    {
        int vw = Vector256<float>.Count;
        if (src.Length < len + (2 * pad * w) || dst.Length < len)
        {
            throw new ArgumentException("SameColumnSum spans are shorter than the guarded plane.");
        }
        if (Vector256.IsHardwareAccelerated && len >= vw)
        {
            ref float sr = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(dst);
            var cells = Vector256.Create((uint)len);
            for (int i = 0; i < len; i += vw)
            {
                int js = Math.Min(i, len - vw);
                var sum = Vector256<float>.Zero;
                for (int t = 0; t < k; t++)
                {
                    var v = Vector256.LoadUnsafe(ref sr, (nuint)(js + (t * w)));
                    if (t != pad)
                    {
                        var cell = Iota + Vector256.Create(js + ((t - pad) * w));
                        v &= Vector256.LessThan(cell.AsUInt32(), cells).AsSingle();
                    }
                    sum += v;
                }
                sum.StoreUnsafe(ref d, (nuint)js);
            }
            return;
        }
        for (int f = 0; f < len; f++)
        {
            float sum = 0;
            for (int t = 0; t < k; t++)
            {
                if ((uint)(f + ((t - pad) * w)) < (uint)len)
                {
                    sum += src[f + (t * w)];
                }
            }
            dst[f] = sum;
        }
    }

    /// <summary>Positions [lo, hi) whose window [j − pad, j − pad + k) lies wholly inside a row of length w.</summary>
    private static void InteriorRange(int w, int k, int pad, int n, out int lo, out int hi)
    {
        lo = Math.Min(pad, n);
        hi = Math.Max(lo, Math.Min(n, w - k + pad + 1));
    }

    /// <summary>Max of row over [start, start + k) clipped to the row (never empty), and its column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClippedMax(ReadOnlySpan<float> row, int start, int k, out float best, out int arg)
    {
        int lo = Math.Max(0, start), hi = Math.Min(row.Length, start + k);
        best = row[lo];
        arg = lo;
        for (int i = lo + 1; i < hi; i++)
        {
            if (row[i] > best)
            {
                best = row[i];
                arg = i;
            }
        }
    }

    /// <summary>Sum of row over [start, start + k) clipped to the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ClippedSum(ReadOnlySpan<float> row, int start, int k)
    {
        int lo = Math.Max(0, start), hi = Math.Min(row.Length, start + k);
        float sum = 0;
        for (int i = lo; i < hi; i++)
        {
            sum += row[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScalar(Span<float> dst, int j, float v, bool accumulate) =>
        dst[j] = accumulate ? dst[j] + v : v;
}

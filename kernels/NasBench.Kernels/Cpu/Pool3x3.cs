using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Kernels.Cpu;

/// <summary>The DARTS pools, 3×3 with padding 1 at stride 1 (and, through the caller, 2), max and average forward and
/// average backward, one plane at a time out of L1-resident scratch.</summary>
/// <remarks>
/// Why a special case: the general same-geometry passes in <see cref="PoolRows"/> mask every lane of every tap
/// (cells outside the lane's row, the first-valid rule) and cost ~6 cycles per output. Here the edges are
/// handled by data instead of masks: the max shifts a −∞ pad into the vectors at the row ends, the average sums
/// into zero-padded rows. Each pass is then a plain
/// 3-tap vector loop: rows use vectors at columns 0, 16, …, W − 16 (the last may overlap the one before), planes that
/// are contiguous in the pass run flat. 512-bit vectors, where accelerated (this machine's Xeon runs them at full
/// width; a 28-wide row is two vectors instead of four); elsewhere the caller keeps the general path.
/// <para>Max: the row pass keeps each row's first maximum (strict &gt;), the column pass the first row whose maximum
/// is strictly larger, so the argmax is the first maximum in row-major order, as in the reference. Two cases the
/// padding would get wrong are caught and redone exactly: a window whose cells are all −∞ (a −∞ pad cell may have
/// won; the output is recomputed by scalar code) and a plane holding NaN (the reference's "first valid cell
/// sticks" rule; the caller runs the reference's scan on the plane when this returns false).</para>
/// </remarks>
internal static unsafe class Pool3x3
{
    private const int V = 16;

    /// <summary>Whether the fast path takes this geometry: rows at least one vector wide, or narrower rows (the
    /// 14×14 and 7×7 maps of the deeper cells: one masked vector per row) in a plane of at least one vector.</summary>
    public static bool Handles(in Pool2dShape s) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && s.Kernel == 3 && s.Padding == 1 && s.Stride == 1 &&
        Fits(s);

    /// <summary>Plane geometry the passes take: the flat column pass of the max needs H·W ≥ 16.</summary>
    private static bool Fits(in Pool2dShape s) => s.Width >= V || (s.Width >= 2 && (long)s.Height * s.Width >= V);

    /// <summary>Stride 2 (k 3, padding 1), computed as the stride-1 pool at the even rows and columns: output
    /// (oy, ox) has exactly the window, count and first maximum of stride-1 output (2·oy, 2·ox).</summary>
    public static bool HandlesStride2(in Pool2dShape s) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && s.Kernel == 3 && s.Padding == 1 && s.Stride == 2 &&
        Fits(s);

    /// <summary>The stride-1 shape whose even positions a stride-2 pool picks.</summary>
    public static Pool2dShape Stride1(in Pool2dShape s) => s with { Stride = 1 };

    /// <summary>dst[oy, ox] = full[2·oy, 2·ox] over one plane ([OH, OW] from [H, W]).</summary>
    public static void PickEven<T>(in Pool2dShape s, T* full, T* dst)
        where T : unmanaged
    {
        int w = s.Width, oh = s.OutHeight, ow = s.OutWidth;
        for (int oy = 0; oy < oh; oy++)
        {
            T* src = full + (2L * oy * w);
            T* d = dst + ((long)oy * ow);
            for (int ox = 0; ox < ow; ox++)
            {
                d[ox] = src[2 * ox];
            }
        }
    }

    /// <summary>full = zeros with src[oy, ox] at (2·oy, 2·ox): the transpose of <see cref="PickEven"/>.</summary>
    public static void SpreadEven(in Pool2dShape s, float* src, float* full)
    {
        int w = s.Width, oh = s.OutHeight, ow = s.OutWidth;
        new Span<float>(full, s.Height * w).Clear();
        for (int oy = 0; oy < oh; oy++)
        {
            float* d = full + (2L * oy * w);
            float* g = src + ((long)oy * ow);
            for (int ox = 0; ox < ow; ox++)
            {
                d[2 * ox] = g[ox];
            }
        }
    }

    /// <summary>Floats of max-forward scratch: the row maxima with a −∞ row above and below.</summary>
    public static int MaxScratchFloats(in Pool2dShape s) => (s.Height + 2) * s.Width;

    /// <summary>Ints of max-forward scratch: the row argmaxes.</summary>
    public static int MaxScratchInts(in Pool2dShape s) => (s.Height + 2) * s.Width;

    /// <summary>Writes the −∞ rows of max-forward scratch; planes never touch them.</summary>
    public static void InitMaxScratch(in Pool2dShape s, float* hv)
    {
        int h = s.Height, w = s.Width;
        new Span<float>(hv, w).Fill(float.NegativeInfinity);
        new Span<float>(hv + ((h + 1) * w), w).Fill(float.NegativeInfinity);
    }

    /// <summary>y and argmax of one plane; false (y and argmax not written) when the plane holds NaN.</summary>
    public static bool MaxPlane(in Pool2dShape s, float* x, float* y, int* argmax, float* hv, int* ha)
    {
        int h = s.Height, w = s.Width, len = h * w, lastCol = w - V;
        var negInf = Vector512.Create(float.NegativeInfinity);
        // Row pass: hv row r + 1 = max of the 3 cells around each column of input row r. The vectors at the row's
        // left and right ends shift the −∞ pad in (valignd) instead of loading across the row end; no branch per
        // vector, so the JIT keeps everything in registers.
        var nan = Vector512<float>.Zero;
        var iota = Vector512<int>.Indices;
        if (w < V)
        {
            // One masked vector per row: lanes past the row load as −∞ (the right pad of the last column) and are
            // never stored, so the row maxima stay inside their hv row and the −∞ rows around them.
            var keep = LaneMask.FirstInt(w);
            for (int r = 0; r < h; r++)
            {
                var center = Avx512F.MaskLoad(x + (r * w), keep.AsSingle(), negInf);
                nan |= ~Vector512.Equals(center, center);
                var left = Avx512F.AlignRight32(center.AsInt32(), negInf.AsInt32(), V - 1).AsSingle();
                var right = Avx512F.AlignRight32(negInf.AsInt32(), center.AsInt32(), 1).AsSingle();
                var (best, arg) = RowMax(left, center, right, iota + Vector512.Create((r * w) - 1));
                Avx512F.MaskStore(hv + ((r + 1) * w), keep.AsSingle(), best);
                Avx512F.MaskStore(ha + ((r + 1) * w), keep, arg);
            }
        }
        else
        {
            for (int r = 0; r < h; r++)
            {
                float* src = x + (r * w);
                float* dv = hv + ((r + 1) * w);
                int* da = ha + ((r + 1) * w);
                var rowIdx = iota + Vector512.Create((r * w) - 1);
                var center = Vector512.Load(src);
                nan |= ~Vector512.Equals(center, center);
                var left = Avx512F.AlignRight32(center.AsInt32(), negInf.AsInt32(), V - 1).AsSingle();
                if (w == V)
                {
                    var right = Avx512F.AlignRight32(negInf.AsInt32(), center.AsInt32(), 1).AsSingle();
                    RowMax(left, center, right, rowIdx, dv, da);
                    continue;
                }
                RowMax(left, center, Vector512.Load(src + 1), rowIdx, dv, da);
                for (int c = V; c < lastCol; c += V)
                {
                    center = Vector512.Load(src + c);
                    nan |= ~Vector512.Equals(center, center);
                    RowMax(Vector512.Load(src + c - 1), center, Vector512.Load(src + c + 1),
                        rowIdx + Vector512.Create(c), dv + c, da + c);
                }
                center = Vector512.Load(src + lastCol);
                nan |= ~Vector512.Equals(center, center);
                RowMax(Vector512.Load(src + lastCol - 1), center,
                    Avx512F.AlignRight32(negInf.AsInt32(), center.AsInt32(), 1).AsSingle(),
                    rowIdx + Vector512.Create(lastCol), dv + lastCol, da + lastCol);
            }
        }
        if (nan != Vector512<float>.Zero)
        {
            return false;
        }
        // Column pass, flat over the plane: output f takes hv rows f/w .. f/w + 2.
        for (int f = 0; f < len; f += V)
        {
            int fs = Math.Min(f, len - V);
            var best = Vector512.Load(hv + fs);
            var arg = Vector512.Load(ha + fs);
            Take(Vector512.Load(hv + fs + w), Vector512.Load(ha + fs + w), ref best, ref arg);
            Take(Vector512.Load(hv + fs + (2 * w)), Vector512.Load(ha + fs + (2 * w)), ref best, ref arg);
            best.Store(y + fs);
            arg.Store(argmax + fs);
            if (Vector512.EqualsAny(best, negInf))
            {
                FixAllInfinite(s, x, y, argmax, fs);
            }
        }
        return true;
    }

    /// <summary>Floats of average scratch: column sums with a zero column either side.</summary>
    public static int AvgScratchFloats(in Pool2dShape s) => s.Height * (s.Width + 2);

    /// <summary>Zeroes the pad columns of average scratch.</summary>
    public static void InitAvgScratch(in Pool2dShape s, float* scratch)
    {
        int wp = s.Width + 2;
        for (int r = 0; r < s.Height; r++)
        {
            scratch[r * wp] = 0;
            scratch[(r * wp) + wp - 1] = 0;
        }
    }

    /// <summary>1 / (number of input cells in each output's window), [H, W].</summary>
    public static void Reciprocals(in Pool2dShape s, float* recip)
    {
        int h = s.Height, w = s.Width;
        for (int r = 0; r < h; r++)
        {
            int rows = Math.Min(h, r + 2) - Math.Max(0, r - 1);
            for (int c = 0; c < w; c++)
            {
                int cols = Math.Min(w, c + 2) - Math.Max(0, c - 1);
                recip[(r * w) + c] = 1f / (rows * cols);
            }
        }
    }

    /// <summary>y = (sum of the window cells) / count for one plane. With <paramref name="scaleFirst"/> each input
    /// cell is first multiplied by <paramref name="recip"/> and the sum is stored (or added) unscaled: the average's
    /// backward, whose transpose at stride 1 and padding 1 is the same 3×3 box sum of dy / count.</summary>
    public static void BoxPlane(in Pool2dShape s, float* x, float* y, float* recip, float* scratch, bool scaleFirst,
        bool accumulate)
    {
        int h = s.Height, w = s.Width, wp = w + 2;
        if (w < V)
        {
            BoxPlaneNarrow(s, x, y, recip, scratch, scaleFirst, accumulate);
            return;
        }
        // Column pass into scratch rows (offset 1 column), each row the sum of input rows r − 1 .. r + 1.
        for (int r = 0; r < h; r++)
        {
            float* dst = scratch + (r * wp) + 1;
            bool up = r > 0, down = r + 1 < h;
            for (int c = 0; c < w; c += V)
            {
                int cs = Math.Min(c, w - V);
                int at = (r * w) + cs;
                var sum = Load(x, recip, at, scaleFirst);
                if (up)
                {
                    sum += Load(x, recip, at - w, scaleFirst);
                }
                if (down)
                {
                    sum += Load(x, recip, at + w, scaleFirst);
                }
                sum.Store(dst + cs);
            }
        }
        // Row pass.
        for (int r = 0; r < h; r++)
        {
            float* src = scratch + (r * wp);
            float* dst = y + (r * w);
            // With accumulate an overlapped last vector must not add twice: compute it first from y as it was.
            int last = w - V;
            var tail = Row(src, dst, recip + (r * w), last, scaleFirst, accumulate);
            for (int c = 0; c + V <= w; c += V)
            {
                Row(src, dst, recip + (r * w), c, scaleFirst, accumulate).Store(dst + c);
            }
            tail.Store(dst + last);
        }
    }

    /// <summary><see cref="BoxPlane"/> for rows narrower than a vector: the same sums in the same order, one masked
    /// vector per row (lanes past the row read as 0 and are never stored, so the scratch's zero columns stay zero).
    /// </summary>
    private static void BoxPlaneNarrow(in Pool2dShape s, float* x, float* y, float* recip, float* scratch,
        bool scaleFirst, bool accumulate)
    {
        int h = s.Height, w = s.Width, wp = w + 2;
        var keep = LaneMask.First(w);
        var zero = Vector512<float>.Zero;
        for (int r = 0; r < h; r++)
        {
            int at = r * w;
            var sum = LoadMasked(x, recip, at, scaleFirst, keep);
            if (r > 0)
            {
                sum += LoadMasked(x, recip, at - w, scaleFirst, keep);
            }
            if (r + 1 < h)
            {
                sum += LoadMasked(x, recip, at + w, scaleFirst, keep);
            }
            Avx512F.MaskStore(scratch + (r * wp) + 1, keep, sum);
        }
        for (int r = 0; r < h; r++)
        {
            float* src = scratch + (r * wp);
            float* dst = y + (r * w);
            var sum = Avx512F.MaskLoad(src, keep, zero) + Avx512F.MaskLoad(src + 1, keep, zero) +
                Avx512F.MaskLoad(src + 2, keep, zero);
            if (!scaleFirst)
            {
                sum *= Avx512F.MaskLoad(recip + (r * w), keep, zero);
            }
            if (accumulate)
            {
                sum += Avx512F.MaskLoad(dst, keep, zero);
            }
            Avx512F.MaskStore(dst, keep, sum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LoadMasked(float* x, float* recip, int at, bool scale, Vector512<float> keep) =>
        scale
            ? Avx512F.MaskLoad(x + at, keep, Vector512<float>.Zero) * Avx512F.MaskLoad(recip + at, keep,
                Vector512<float>.Zero)
            : Avx512F.MaskLoad(x + at, keep, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(float* x, float* recip, int at, bool scale) =>
        scale ? Vector512.Load(x + at) * Vector512.Load(recip + at) : Vector512.Load(x + at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* src, float* dst, float* recip, int c, bool scaleFirst, bool accumulate)
    {
        var sum = Vector512.Load(src + c) + Vector512.Load(src + c + 1) + Vector512.Load(src + c + 2);
        if (!scaleFirst)
        {
            sum *= Vector512.Load(recip + c);
        }
        if (accumulate)
        {
            sum += Vector512.Load(dst + c);
        }
        return sum;
    }

    /// <summary>Stores the first maximum of (left, center, right) and its index (idx + tap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowMax(Vector512<float> left, Vector512<float> center, Vector512<float> right,
        Vector512<int> idx, float* dv, int* da)
    {
        var (best, arg) = RowMax(left, center, right, idx);
        best.Store(dv);
        arg.Store(da);
    }

    /// <summary>The first maximum of (left, center, right) and its index (idx + tap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Best, Vector512<int> Arg) RowMax(Vector512<float> left, Vector512<float> center,
        Vector512<float> right, Vector512<int> idx)
    {
        var best = left;
        var arg = idx;
        Take(center, idx + Vector512<int>.One, ref best, ref arg);
        Take(right, idx + Vector512.Create(2), ref best, ref arg);
        return (best, arg);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector512<float> v, Vector512<int> idx, ref Vector512<float> best,
        ref Vector512<int> arg)
    {
        // vmaxps(v, best) is v > best ? v : best, the reference's strict > (Vector512.Max would order −0 below
        // +0); NaN never reaches here.
        var take = Vector512.GreaterThan(v, best);
        best = Avx512F.Max(v, best);
        arg = Vector512.ConditionalSelect(take.AsInt32(), idx, arg);
    }

    /// <summary>Outputs fs..fs+15 whose maximum is −∞ recomputed by the reference's rule (a −∞ pad may have won).
    /// </summary>
    private static void FixAllInfinite(in Pool2dShape s, float* x, float* y, int* argmax, int fs)
    {
        int h = s.Height, w = s.Width;
        for (int f = fs; f < fs + V; f++)
        {
            if (y[f] != float.NegativeInfinity)
            {
                continue;
            }
            int oy = f / w, ox = f - (oy * w);
            float best = float.NegativeInfinity;
            int arg = -1;
            for (int iy = Math.Max(0, oy - 1); iy <= Math.Min(h - 1, oy + 1); iy++)
            {
                for (int ix = Math.Max(0, ox - 1); ix <= Math.Min(w - 1, ox + 1); ix++)
                {
                    float v = x[(iy * w) + ix];
                    if (v > best || arg < 0)
                    {
                        best = v;
                        arg = (iy * w) + ix;
                    }
                }
            }
            y[f] = best;
            argmax[f] = arg;
        }
    }
}

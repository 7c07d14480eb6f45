using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Copies blocks of op(A) and op(B) into the contiguous, zero-padded panels the micro-kernels read.</summary>
/// <remarks>
/// Packing absorbs all four transpose combinations, so there is one micro-kernel per vector width. Packed A: panels of
/// <c>mr</c> rows, each stored k-major (<c>mr</c> floats per k step), rows past the edge zero. Packed B: panels of
/// <c>nr</c> columns stored k-major; the last panel is only as wide as the remaining columns rounded up to the vector
/// width <c>vw</c>, so edge tiles waste at most one vector of FMAs. Panel <c>q</c> starts at <c>q·mr·kc</c> (resp.
/// <c>q·nr·kc</c>) floats.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs rows [i0, i0+mc) and k range [p0, p0+kc) of op(A).</summary>
    public static void PackA(bool trans, float* a, nint lda, int i0, int mc, int p0, int kc, float* dst, int mr)
    {
        for (int ib = 0; ib < mc; ib += mr)
        {
            int rows = Math.Min(mr, mc - ib);
            float* d = dst + ((nint)ib * kc);
            if (trans)
            {
                // Stored k×m: each k step of the panel is a contiguous run of the stored row.
                float* src = a + ((p0 * lda) + i0 + ib);
                for (int p = 0; p < kc; p++, src += lda, d += mr)
                {
                    CopyPadded(src, d, rows, mr);
                }
            }
            else
            {
                // Stored m×k: k runs along stored rows, so each group of 8 rows is transposed into the panel.
                float* src = a + (((i0 + ib) * lda) + p0);
                for (int r = 0; r < rows; r += 8)
                {
                    Gather(src + (r * lda), lda, Math.Min(8, rows - r), kc, d + r, mr);
                }
                ZeroRows(d, rows, mr, kc);
            }
        }
    }

    /// <summary>Packs k range [p0, p0+kc) and columns [j0, j0+nc) of op(B), through max(·, 0) with
    /// <paramref name="relu"/>.</summary>
    public static void PackB(bool trans, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst, int nr, int vw,
        bool relu = false)
    {
        for (int jb = 0; jb < nc; jb += nr)
        {
            int cols = Math.Min(nr, nc - jb);
            int width = PanelWidth(cols, nr, vw);
            float* d = dst + ((nint)jb * kc);
            if (trans)
            {
                // Stored n×k: each column of op(B) is a contiguous stored row; transpose groups of 8 into the panel.
                float* src = b + (((j0 + jb) * ldb) + p0);
                for (int j = 0; j < cols; j += 8)
                {
                    Gather(src + (j * ldb), ldb, Math.Min(8, cols - j), kc, d + j, width, relu);
                }
                ZeroRows(d, cols, width, kc);
            }
            else
            {
                float* src = b + ((p0 * ldb) + j0 + jb);
                for (int p = 0; p < kc; p++, src += ldb, d += width)
                {
                    CopyPadded(src, d, cols, width, relu);
                }
            }
        }
    }

    /// <summary>Width of a packed B panel holding <paramref name="cols"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PanelWidth(int cols, int nr, int vw) => cols == nr ? nr : (cols + vw - 1) / vw * vw;

    /// <summary>dst[p·dstStride + r] = src[r·srcStride + p] for r &lt; <paramref name="lines"/> (at most 8),
    /// p &lt; <paramref name="kc"/>: whole 8×8 blocks by register transpose, the rest scalar; through max(·, 0)
    /// with <paramref name="relu"/>.</summary>
    private static void Gather(float* src, nint srcStride, int lines, int kc, float* dst, nint dstStride,
        bool relu = false)
    {
        int p = 0;
        if (lines == 8 && GemmTranspose.IsAccelerated)
        {
            for (; p + 8 <= kc; p += 8)
            {
                GemmTranspose.Transpose8x8(src + p, srcStride, dst + (p * dstStride), dstStride, relu);
            }
        }
        for (int r = 0; r < lines; r++)
        {
            float* line = src + (r * srcStride);
            for (int q = p; q < kc; q++)
            {
                dst[(q * dstStride) + r] = relu ? MathF.Max(line[q], 0f) : line[q];
            }
        }
    }

    /// <summary>dst[0, count) = src (through max(·, 0) with <paramref name="relu"/>), dst[count, width) = 0.</summary>
    /// <remarks>Inline vector copies rather than a block copy: a packed row is only 8–48 floats, and the call into the
    /// runtime's memmove for each one cost as much as the multiply it fed on small-M products (16×1024×144). The
    /// ReLU is the IEEE maximum of <see cref="ActivationKernel.Relu"/> (NaN stays NaN, −0 becomes +0).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* src, float* dst, int count, int width, bool relu = false)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var zero = Vector512<float>.Zero;
            for (; j + Vector512<float>.Count <= count; j += Vector512<float>.Count)
            {
                var v = Vector512.Load(src + j);
                (relu ? Vector512.Max(v, zero) : v).Store(dst + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<float>.Zero;
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                var v = Vector256.Load(src + j);
                (relu ? Vector256.Max(v, zero) : v).Store(dst + j);
            }
        }
        for (; j < count; j++)
        {
            dst[j] = relu ? MathF.Max(src[j], 0f) : src[j];
        }
        for (; j < width; j++)
        {
            dst[j] = 0;
        }
    }

    /// <summary>Zeroes slots [valid, width) of every k step: padding rows (A) or columns (B) must contribute 0.</summary>
    private static void ZeroRows(float* d, int valid, int width, int kc)
    {
        if (valid == width)
        {
            return;
        }
        for (int p = 0; p < kc; p++, d += width)
        {
            for (int j = valid; j < width; j++)
            {
                d[j] = 0;
            }
        }
    }
}

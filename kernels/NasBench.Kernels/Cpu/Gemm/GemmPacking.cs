using System.Runtime.CompilerServices;

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
                // Stored m×k: read each row contiguously, write with stride mr (the panel is L1-sized).
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (((i0 + ib + r) * lda) + p0);
                    float* col = d + r;
                    for (int p = 0; p < kc; p++)
                    {
                        col[(nint)p * mr] = src[p];
                    }
                }
                ZeroRows(d, rows, mr, kc);
            }
        }
    }

    /// <summary>Packs k range [p0, p0+kc) and columns [j0, j0+nc) of op(B).</summary>
    public static void PackB(bool trans, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst, int nr, int vw)
    {
        for (int jb = 0; jb < nc; jb += nr)
        {
            int cols = Math.Min(nr, nc - jb);
            int width = PanelWidth(cols, nr, vw);
            float* d = dst + ((nint)jb * kc);
            if (trans)
            {
                // Stored n×k: each column of op(B) is a contiguous stored row.
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (((j0 + jb + j) * ldb) + p0);
                    float* col = d + j;
                    for (int p = 0; p < kc; p++)
                    {
                        col[(nint)p * width] = src[p];
                    }
                }
                ZeroRows(d, cols, width, kc);
            }
            else
            {
                float* src = b + ((p0 * ldb) + j0 + jb);
                for (int p = 0; p < kc; p++, src += ldb, d += width)
                {
                    CopyPadded(src, d, cols, width);
                }
            }
        }
    }

    /// <summary>Width of a packed B panel holding <paramref name="cols"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PanelWidth(int cols, int nr, int vw) => cols == nr ? nr : (cols + vw - 1) / vw * vw;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* src, float* dst, int count, int width)
    {
        Unsafe.CopyBlockUnaligned(dst, src, (uint)count * sizeof(float));
        for (int j = count; j < width; j++)
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

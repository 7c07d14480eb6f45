using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>
/// <see cref="TapKernels.Sum"/> for the common case of a square 3×3 or 5×5 filter at stride 1, whose taps form a
/// grid: <c>src[ky·k + kx] = src[kx] + ky·rowStep</c>. Output rows rowStep apart then read the same shifted input
/// rows, so eight output rows are computed together and each input vector is loaded once for up to k of them.
/// </summary>
/// <remarks>
/// Why: the plain tap sum loads one input vector per multiply-add and keeps four of them in flight, which the
/// multiply-add latency (4 cycles) caps at one per cycle; this was a fifth of the supernet step. Eight accumulators
/// (one per output row) reach two per cycle, and with the weights of a 3×3 filter held in registers it needs 0.4 loads
/// per multiply-add instead of 1.5.
/// <para>Every output element still adds its taps in (ky, kx) order starting from zero, as
/// <see cref="TapKernels.Sum"/> does, so both give the same bits and a run may be split between them freely.</para>
/// </remarks>
internal static unsafe class TapGridKernels
{
    /// <summary>Output rows per band: one accumulator each.</summary>
    private const int Rows = 8;

    private const int V = 16;

    /// <summary><c>dst[i] = Σₜ w[t] · src[t][i]</c> for i in [0, length), for k × k taps on a grid with row step
    /// <paramref name="rowStep"/> (see the class remarks). Other sizes, short runs and machines without 512-bit
    /// vectors take <see cref="TapKernels.Sum"/>.</summary>
    public static void Sum(float* dst, int length, float** src, float* w, int k, int rowStep)
    {
        int rows = rowStep > 0 ? length / rowStep : 0;
        if (!Vector512.IsHardwareAccelerated || (k != 3 && k != 5) || rowStep < V || rows < Rows)
        {
            TapKernels.Sum(dst, length, src, w, k * k);
            return;
        }
        // Bands of eight whole rows; the last band is moved back to end at the last whole row, and the last vector
        // of each row back to end at the row's end (pure writes: overlapped outputs get the same values again).
        for (int band = 0; ; band += Rows)
        {
            int b = Math.Min(band, rows - Rows);
            for (int c = 0; ; c += V)
            {
                long at = ((long)b * rowStep) + Math.Min(c, rowStep - V);
                Band(k, dst + at, rowStep, src, at, w, rowStep);
                if (c + V >= rowStep)
                {
                    break;
                }
            }
            if (b == rows - Rows)
            {
                break;
            }
        }
        int done = rows * rowStep;
        if (done < length)
        {
            // The last partial row, with the plain sum on taps moved there.
            int taps = k * k;
            float** rest = stackalloc float*[taps];
            for (int t = 0; t < taps; t++)
            {
                rest[t] = src[t] + done;
            }
            TapKernels.Sum(dst + done, length - done, rest, w, taps);
        }
    }

    /// <summary>Outputs of a stride-1 k × k depthwise correlation written straight into an unpadded
    /// <paramref name="outH"/> × <paramref name="outW"/> plane: <c>dst[oy·outW + ox] = Σ_t w[t] · src[t][oy·srcRow +
    /// ox]</c>, where src holds the taps of the flat layout (<see cref="DepthwiseGeometry"/>: output (oy, ox) at flat
    /// index oy·srcRow + ox, filter rows <paramref name="dilation"/>·srcRow apart). Returns false, having written
    /// nothing, where the shape does not fit the bands (rows narrower than a vector, fewer than eight rows per
    /// dilation class, k other than 3 or 5, no 512-bit vectors); the caller then takes the flat run and a
    /// crop.</summary>
    /// <remarks>Why: a flat run computes every column of the padded width, and a scratch shared by the four heads of
    /// a mixed edge is padded for the widest (4 each side), so at 28×28 a flat run spends 98 (3×3) or 84 (dilated)
    /// vectors on the 49 of a plane, and the crop then copies the plane once more. Here output rows of one dilation
    /// class (oy ≡ ρ mod d, whose taps share input rows) go in bands of eight, each row as two overlapping vectors
    /// (columns [0, 16) and [outW − 16, outW)): 64 vectors for 28×28, and no crop. Every element is the same chain of
    /// multiply-adds in tap order as in <see cref="Sum"/>, and overlapping stores write equal values, so the result is
    /// the flat run's cropped, bit for bit.</remarks>
    public static bool SumRows(float* dst, int outH, int outW, float** src, float* w, int k, int dilation,
        int srcRow)
    {
        if (!Vector512.IsHardwareAccelerated || (k != 3 && k != 5) || outW < V || dilation < 1 ||
            (outH / dilation) < Rows)
        {
            return false;
        }
        long srcStep = (long)dilation * srcRow, dstStep = (long)dilation * outW;
        for (int rho = 0; rho < dilation; rho++)
        {
            int rows = (outH - rho + dilation - 1) / dilation;
            // Bands of eight rows of the class; the last moved back to end at its last row, the last vector of each
            // row back to end at the row's end (pure writes: overlapped outputs get the same values again).
            for (int band = 0; ; band += Rows)
            {
                int b = Math.Min(band, rows - Rows), oy = rho + (b * dilation);
                for (int c = 0; ; c += V)
                {
                    int col = Math.Min(c, outW - V);
                    Band(k, dst + ((long)oy * outW) + col, dstStep, src, ((long)oy * srcRow) + col, w, srcStep);
                    if (c + V >= outW)
                    {
                        break;
                    }
                }
                if (b == rows - Rows)
                {
                    break;
                }
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Band(int k, float* dst, long ds, float** src, long at, float* w, long s)
    {
        if (k == 3)
        {
            Band3(dst, ds, src, at, w, s);
        }
        else
        {
            Band5(dst, ds, src, at, w, s);
        }
    }

    /// <summary>Eight output vectors, <paramref name="ds"/> floats apart at dst, from the input rows src[kx] + at +
    /// m·s (kx = 0, 1, 2), m in [0, 10): input row m feeds output row m − ky for ky in [0, 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Band3(float* dst, long ds, float** src, long at, float* w, long s)
    {
        float* p0 = src[0] + at, p1 = src[1] + at, p2 = src[2] + at;
        var w00 = Vector512.Create(w[0]);
        var w01 = Vector512.Create(w[1]);
        var w02 = Vector512.Create(w[2]);
        var w10 = Vector512.Create(w[3]);
        var w11 = Vector512.Create(w[4]);
        var w12 = Vector512.Create(w[5]);
        var w20 = Vector512.Create(w[6]);
        var w21 = Vector512.Create(w[7]);
        var w22 = Vector512.Create(w[8]);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> l0, l1, l2;

        Load3(p0, p1, p2, 0, out l0, out l1, out l2);
        a0 = Row3(a0, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, s, out l0, out l1, out l2);
        a0 = Row3(a0, l0, l1, l2, w10, w11, w12);
        a1 = Row3(a1, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 2 * s, out l0, out l1, out l2);
        a0 = Row3(a0, l0, l1, l2, w20, w21, w22);
        a1 = Row3(a1, l0, l1, l2, w10, w11, w12);
        a2 = Row3(a2, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 3 * s, out l0, out l1, out l2);
        a1 = Row3(a1, l0, l1, l2, w20, w21, w22);
        a2 = Row3(a2, l0, l1, l2, w10, w11, w12);
        a3 = Row3(a3, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 4 * s, out l0, out l1, out l2);
        a2 = Row3(a2, l0, l1, l2, w20, w21, w22);
        a3 = Row3(a3, l0, l1, l2, w10, w11, w12);
        a4 = Row3(a4, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 5 * s, out l0, out l1, out l2);
        a3 = Row3(a3, l0, l1, l2, w20, w21, w22);
        a4 = Row3(a4, l0, l1, l2, w10, w11, w12);
        a5 = Row3(a5, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 6 * s, out l0, out l1, out l2);
        a4 = Row3(a4, l0, l1, l2, w20, w21, w22);
        a5 = Row3(a5, l0, l1, l2, w10, w11, w12);
        a6 = Row3(a6, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 7 * s, out l0, out l1, out l2);
        a5 = Row3(a5, l0, l1, l2, w20, w21, w22);
        a6 = Row3(a6, l0, l1, l2, w10, w11, w12);
        a7 = Row3(a7, l0, l1, l2, w00, w01, w02);
        Load3(p0, p1, p2, 8 * s, out l0, out l1, out l2);
        a6 = Row3(a6, l0, l1, l2, w20, w21, w22);
        a7 = Row3(a7, l0, l1, l2, w10, w11, w12);
        Load3(p0, p1, p2, 9 * s, out l0, out l1, out l2);
        a7 = Row3(a7, l0, l1, l2, w20, w21, w22);

        a0.Store(dst);
        a1.Store(dst + ds);
        a2.Store(dst + (2 * ds));
        a3.Store(dst + (3 * ds));
        a4.Store(dst + (4 * ds));
        a5.Store(dst + (5 * ds));
        a6.Store(dst + (6 * ds));
        a7.Store(dst + (7 * ds));
    }

    /// <summary>As <see cref="Band3(float*, long, float**, long, float*, long)"/> for 5×5 taps: input rows m in
    /// [0, 12). The 25 broadcast weights and eight accumulators do not fit the 32 registers, so the JIT spills some
    /// weights to the stack; that was still faster than one filter row at a time with its weights in registers and no
    /// shared loads (tap-grid results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Band5(float* dst, long ds, float** src, long at, float* w, long s)
    {
        float* p0 = src[0] + at, p1 = src[1] + at, p2 = src[2] + at, p3 = src[3] + at, p4 = src[4] + at;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> a4 = default, a5 = default, a6 = default, a7 = default;
        float* w0 = w, w1 = w + 5, w2 = w + 10, w3 = w + 15, w4 = w + 20;
        Vector512<float> l0, l1, l2, l3, l4;

        Load5(p0, p1, p2, p3, p4, 0, out l0, out l1, out l2, out l3, out l4);
        a0 = Row5(a0, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, s, out l0, out l1, out l2, out l3, out l4);
        a0 = Row5(a0, l0, l1, l2, l3, l4, w1);
        a1 = Row5(a1, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 2 * s, out l0, out l1, out l2, out l3, out l4);
        a0 = Row5(a0, l0, l1, l2, l3, l4, w2);
        a1 = Row5(a1, l0, l1, l2, l3, l4, w1);
        a2 = Row5(a2, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 3 * s, out l0, out l1, out l2, out l3, out l4);
        a0 = Row5(a0, l0, l1, l2, l3, l4, w3);
        a1 = Row5(a1, l0, l1, l2, l3, l4, w2);
        a2 = Row5(a2, l0, l1, l2, l3, l4, w1);
        a3 = Row5(a3, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 4 * s, out l0, out l1, out l2, out l3, out l4);
        a0 = Row5(a0, l0, l1, l2, l3, l4, w4);
        a1 = Row5(a1, l0, l1, l2, l3, l4, w3);
        a2 = Row5(a2, l0, l1, l2, l3, l4, w2);
        a3 = Row5(a3, l0, l1, l2, l3, l4, w1);
        a4 = Row5(a4, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 5 * s, out l0, out l1, out l2, out l3, out l4);
        a1 = Row5(a1, l0, l1, l2, l3, l4, w4);
        a2 = Row5(a2, l0, l1, l2, l3, l4, w3);
        a3 = Row5(a3, l0, l1, l2, l3, l4, w2);
        a4 = Row5(a4, l0, l1, l2, l3, l4, w1);
        a5 = Row5(a5, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 6 * s, out l0, out l1, out l2, out l3, out l4);
        a2 = Row5(a2, l0, l1, l2, l3, l4, w4);
        a3 = Row5(a3, l0, l1, l2, l3, l4, w3);
        a4 = Row5(a4, l0, l1, l2, l3, l4, w2);
        a5 = Row5(a5, l0, l1, l2, l3, l4, w1);
        a6 = Row5(a6, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 7 * s, out l0, out l1, out l2, out l3, out l4);
        a3 = Row5(a3, l0, l1, l2, l3, l4, w4);
        a4 = Row5(a4, l0, l1, l2, l3, l4, w3);
        a5 = Row5(a5, l0, l1, l2, l3, l4, w2);
        a6 = Row5(a6, l0, l1, l2, l3, l4, w1);
        a7 = Row5(a7, l0, l1, l2, l3, l4, w0);
        Load5(p0, p1, p2, p3, p4, 8 * s, out l0, out l1, out l2, out l3, out l4);
        a4 = Row5(a4, l0, l1, l2, l3, l4, w4);
        a5 = Row5(a5, l0, l1, l2, l3, l4, w3);
        a6 = Row5(a6, l0, l1, l2, l3, l4, w2);
        a7 = Row5(a7, l0, l1, l2, l3, l4, w1);
        Load5(p0, p1, p2, p3, p4, 9 * s, out l0, out l1, out l2, out l3, out l4);
        a5 = Row5(a5, l0, l1, l2, l3, l4, w4);
        a6 = Row5(a6, l0, l1, l2, l3, l4, w3);
        a7 = Row5(a7, l0, l1, l2, l3, l4, w2);
        Load5(p0, p1, p2, p3, p4, 10 * s, out l0, out l1, out l2, out l3, out l4);
        a6 = Row5(a6, l0, l1, l2, l3, l4, w4);
        a7 = Row5(a7, l0, l1, l2, l3, l4, w3);
        Load5(p0, p1, p2, p3, p4, 11 * s, out l0, out l1, out l2, out l3, out l4);
        a7 = Row5(a7, l0, l1, l2, l3, l4, w4);

        a0.Store(dst);
        a1.Store(dst + ds);
        a2.Store(dst + (2 * ds));
        a3.Store(dst + (3 * ds));
        a4.Store(dst + (4 * ds));
        a5.Store(dst + (5 * ds));
        a6.Store(dst + (6 * ds));
        a7.Store(dst + (7 * ds));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load5(float* p0, float* p1, float* p2, float* p3, float* p4, long o, out Vector512<float> l0,
        out Vector512<float> l1, out Vector512<float> l2, out Vector512<float> l3, out Vector512<float> l4)
    {
        l0 = Vector512.Load(p0 + o);
        l1 = Vector512.Load(p1 + o);
        l2 = Vector512.Load(p2 + o);
        l3 = Vector512.Load(p3 + o);
        l4 = Vector512.Load(p4 + o);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load3(float* p0, float* p1, float* p2, long o, out Vector512<float> l0,
        out Vector512<float> l1, out Vector512<float> l2)
    {
        l0 = Vector512.Load(p0 + o);
        l1 = Vector512.Load(p1 + o);
        l2 = Vector512.Load(p2 + o);
    }

    /// <summary>a + w0·l0 + w1·l1 + w2·l2, added in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row3(Vector512<float> a, Vector512<float> l0, Vector512<float> l1,
        Vector512<float> l2, Vector512<float> w0, Vector512<float> w1, Vector512<float> w2) =>
        Vector512.FusedMultiplyAdd(l2, w2, Vector512.FusedMultiplyAdd(l1, w1, Vector512.FusedMultiplyAdd(l0, w0, a)));

    /// <summary>a + Σ w[j]·l_j for j = 0..4, added in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row5(Vector512<float> a, Vector512<float> l0, Vector512<float> l1,
        Vector512<float> l2, Vector512<float> l3, Vector512<float> l4, float* w)
    {
        a = Vector512.FusedMultiplyAdd(l0, Vector512.Create(w[0]), a);
        a = Vector512.FusedMultiplyAdd(l1, Vector512.Create(w[1]), a);
        a = Vector512.FusedMultiplyAdd(l2, Vector512.Create(w[2]), a);
        a = Vector512.FusedMultiplyAdd(l3, Vector512.Create(w[3]), a);
        return Vector512.FusedMultiplyAdd(l4, Vector512.Create(w[4]), a);
    }
}

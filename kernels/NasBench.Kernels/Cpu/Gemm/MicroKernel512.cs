using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>AVX-512 micro-kernel, 8 rows × 48 columns.</summary>
/// <remarks>24 zmm accumulators + 3 B vectors + 1 broadcast = 28 of Zen 4's 32 zmm registers. 8 rows rather than the
/// common 12 or 6 because the convolution GEMMs have M = 16, 32 or 64 output channels, which 8 divides exactly; 48
/// columns keep 24 independent FMA chains, more than the FMA latency × throughput needs.</remarks>
internal readonly unsafe struct MicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 48;

    public static int Vw => 16;

    public static int NarrowColumns => 4;

    /// <summary>One edge column of 8 rows: a 16-lane FMA covers two k steps (8 rows each), so a lone real column in a
    /// 16-wide edge strip costs ½ FMA per k step instead of 8. Four chains hide the FMA latency.</summary>
    public static void Column(int kc, float* a, float* b, nint bStride, float* sums)
    {
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero;
        var s2 = Vector512<float>.Zero;
        var s3 = Vector512<float>.Zero;
        int p = 0;
        for (; p + 7 < kc; p += 8)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a), Pair(b, bStride), s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + 16), Pair(b + (2 * bStride), bStride), s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + 32), Pair(b + (4 * bStride), bStride), s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + 48), Pair(b + (6 * bStride), bStride), s3);
            a += 64;
            b += 8 * bStride;
        }
        var sum = (s0 + s1) + (s2 + s3);
        var half = sum.GetLower() + sum.GetUpper();
        for (; p < kc; p++)
        {
            half = Vector256.FusedMultiplyAdd(Vector256.Load(a), Vector256.Create(b[0]), half);
            a += 8;
            b += bStride;
        }
        half.Store(sums);
    }

    /// <summary>b[0] in the low 8 lanes, b[bStride] (the next k step) in the high 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pair(float* b, nint bStride) =>
        Vector512.Create(Vector256.Create(b[0]), Vector256.Create(b[bStride]));

    public static void Full(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        // The C tile is touched once per KC steps and is often out of L2 by then (C of a 1024² product is 4 MiB):
        // start fetching it now so the misses overlap the k loop instead of stalling the stores.
        GemmPrefetch.Tile(c, ldc, Mr, Nr);
        var c00 = Vector512<float>.Zero;
        var c01 = Vector512<float>.Zero;
        var c02 = Vector512<float>.Zero;
        var c10 = Vector512<float>.Zero;
        var c11 = Vector512<float>.Zero;
        var c12 = Vector512<float>.Zero;
        var c20 = Vector512<float>.Zero;
        var c21 = Vector512<float>.Zero;
        var c22 = Vector512<float>.Zero;
        var c30 = Vector512<float>.Zero;
        var c31 = Vector512<float>.Zero;
        var c32 = Vector512<float>.Zero;
        var c40 = Vector512<float>.Zero;
        var c41 = Vector512<float>.Zero;
        var c42 = Vector512<float>.Zero;
        var c50 = Vector512<float>.Zero;
        var c51 = Vector512<float>.Zero;
        var c52 = Vector512<float>.Zero;
        var c60 = Vector512<float>.Zero;
        var c61 = Vector512<float>.Zero;
        var c62 = Vector512<float>.Zero;
        var c70 = Vector512<float>.Zero;
        var c71 = Vector512<float>.Zero;
        var c72 = Vector512<float>.Zero;
        int p = 0;
        // Two k steps per trip halve the loop overhead against 2·MR·NV FMAs.
        for (; p + 1 < kc; p += 2)
        {
            var b00 = Vector512.Load(b);
            var b10 = Vector512.Load(b + 16);
            var b20 = Vector512.Load(b + 32);
            var a00 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a00, b00, c00);
            c01 = Vector512.FusedMultiplyAdd(a00, b10, c01);
            c02 = Vector512.FusedMultiplyAdd(a00, b20, c02);
            var a10 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a10, b00, c10);
            c11 = Vector512.FusedMultiplyAdd(a10, b10, c11);
            c12 = Vector512.FusedMultiplyAdd(a10, b20, c12);
            var a20 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a20, b00, c20);
            c21 = Vector512.FusedMultiplyAdd(a20, b10, c21);
            c22 = Vector512.FusedMultiplyAdd(a20, b20, c22);
            var a30 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a30, b00, c30);
            c31 = Vector512.FusedMultiplyAdd(a30, b10, c31);
            c32 = Vector512.FusedMultiplyAdd(a30, b20, c32);
            var a40 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a40, b00, c40);
            c41 = Vector512.FusedMultiplyAdd(a40, b10, c41);
            c42 = Vector512.FusedMultiplyAdd(a40, b20, c42);
            var a50 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a50, b00, c50);
            c51 = Vector512.FusedMultiplyAdd(a50, b10, c51);
            c52 = Vector512.FusedMultiplyAdd(a50, b20, c52);
            var a60 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a60, b00, c60);
            c61 = Vector512.FusedMultiplyAdd(a60, b10, c61);
            c62 = Vector512.FusedMultiplyAdd(a60, b20, c62);
            var a70 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a70, b00, c70);
            c71 = Vector512.FusedMultiplyAdd(a70, b10, c71);
            c72 = Vector512.FusedMultiplyAdd(a70, b20, c72);
            var b01 = Vector512.Load(b + bStride);
            var b11 = Vector512.Load(b + bStride + 16);
            var b21 = Vector512.Load(b + bStride + 32);
            var a01 = Vector512.Create(a[8]);
            c00 = Vector512.FusedMultiplyAdd(a01, b01, c00);
            c01 = Vector512.FusedMultiplyAdd(a01, b11, c01);
            c02 = Vector512.FusedMultiplyAdd(a01, b21, c02);
            var a11 = Vector512.Create(a[9]);
            c10 = Vector512.FusedMultiplyAdd(a11, b01, c10);
            c11 = Vector512.FusedMultiplyAdd(a11, b11, c11);
            c12 = Vector512.FusedMultiplyAdd(a11, b21, c12);
            var a21 = Vector512.Create(a[10]);
            c20 = Vector512.FusedMultiplyAdd(a21, b01, c20);
            c21 = Vector512.FusedMultiplyAdd(a21, b11, c21);
            c22 = Vector512.FusedMultiplyAdd(a21, b21, c22);
            var a31 = Vector512.Create(a[11]);
            c30 = Vector512.FusedMultiplyAdd(a31, b01, c30);
            c31 = Vector512.FusedMultiplyAdd(a31, b11, c31);
            c32 = Vector512.FusedMultiplyAdd(a31, b21, c32);
            var a41 = Vector512.Create(a[12]);
            c40 = Vector512.FusedMultiplyAdd(a41, b01, c40);
            c41 = Vector512.FusedMultiplyAdd(a41, b11, c41);
            c42 = Vector512.FusedMultiplyAdd(a41, b21, c42);
            var a51 = Vector512.Create(a[13]);
            c50 = Vector512.FusedMultiplyAdd(a51, b01, c50);
            c51 = Vector512.FusedMultiplyAdd(a51, b11, c51);
            c52 = Vector512.FusedMultiplyAdd(a51, b21, c52);
            var a61 = Vector512.Create(a[14]);
            c60 = Vector512.FusedMultiplyAdd(a61, b01, c60);
            c61 = Vector512.FusedMultiplyAdd(a61, b11, c61);
            c62 = Vector512.FusedMultiplyAdd(a61, b21, c62);
            var a71 = Vector512.Create(a[15]);
            c70 = Vector512.FusedMultiplyAdd(a71, b01, c70);
            c71 = Vector512.FusedMultiplyAdd(a71, b11, c71);
            c72 = Vector512.FusedMultiplyAdd(a71, b21, c72);
            a += 16;
            b += 2 * bStride;
        }
        if (p < kc)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(a0, b2, c02);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(a1, b2, c12);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(a2, b2, c22);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(a3, b2, c32);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            c42 = Vector512.FusedMultiplyAdd(a4, b2, c42);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            c52 = Vector512.FusedMultiplyAdd(a5, b2, c52);
            var a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            c62 = Vector512.FusedMultiplyAdd(a6, b2, c62);
            var a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            c72 = Vector512.FusedMultiplyAdd(a7, b2, c72);
        }
        var va = Vector512.Create(alpha);
        Store(c, c00, va, beta);
        Store(c + 16, c01, va, beta);
        Store(c + 32, c02, va, beta);
        c += ldc;
        Store(c, c10, va, beta);
        Store(c + 16, c11, va, beta);
        Store(c + 32, c12, va, beta);
        c += ldc;
        Store(c, c20, va, beta);
        Store(c + 16, c21, va, beta);
        Store(c + 32, c22, va, beta);
        c += ldc;
        Store(c, c30, va, beta);
        Store(c + 16, c31, va, beta);
        Store(c + 32, c32, va, beta);
        c += ldc;
        Store(c, c40, va, beta);
        Store(c + 16, c41, va, beta);
        Store(c + 32, c42, va, beta);
        c += ldc;
        Store(c, c50, va, beta);
        Store(c + 16, c51, va, beta);
        Store(c + 32, c52, va, beta);
        c += ldc;
        Store(c, c60, va, beta);
        Store(c + 16, c61, va, beta);
        Store(c + 32, c62, va, beta);
        c += ldc;
        Store(c, c70, va, beta);
        Store(c + 16, c71, va, beta);
        Store(c + 32, c72, va, beta);
    }

    public static void Strip(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        var c0 = Vector512<float>.Zero;
        var c1 = Vector512<float>.Zero;
        var c2 = Vector512<float>.Zero;
        var c3 = Vector512<float>.Zero;
        var c4 = Vector512<float>.Zero;
        var c5 = Vector512<float>.Zero;
        var c6 = Vector512<float>.Zero;
        var c7 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += 8;
            b += bStride;
        }
        var va = Vector512.Create(alpha);
        Store(c, c0, va, beta);
        c += ldc;
        Store(c, c1, va, beta);
        c += ldc;
        Store(c, c2, va, beta);
        c += ldc;
        Store(c, c3, va, beta);
        c += ldc;
        Store(c, c4, va, beta);
        c += ldc;
        Store(c, c5, va, beta);
        c += ldc;
        Store(c, c6, va, beta);
        c += ldc;
        Store(c, c7, va, beta);
    }

    /// <summary>C = alpha·acc + beta·C with one rounding for the sum; beta = 0 never reads C (it may hold NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector512<float> acc, Vector512<float> alpha, float beta)
    {
        if (beta == 0)
        {
            (acc * alpha).Store(dst);
        }
        else
        {
            Vector512.FusedMultiplyAdd(acc, alpha, Vector512.Load(dst) * beta).Store(dst);
        }
    }
}

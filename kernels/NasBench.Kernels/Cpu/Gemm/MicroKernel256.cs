using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>AVX2/FMA micro-kernel, 6 rows × 16 columns (the classic Haswell shape).</summary>
/// <remarks>12 ymm accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers AVX2 has.</remarks>
internal readonly unsafe struct MicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static int Vw => 8;

    public static int NarrowColumns => 0;

    public static void Column(int kc, float* a, float* b, nint bStride, float* sums) =>
        throw new NotSupportedException("This micro-kernel has no narrow-column edge path.");

    public static void Full(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        // The C tile is touched once per KC steps and is often out of L2 by then (C of a 1024² product is 4 MiB):
        // start fetching it now so the misses overlap the k loop instead of stalling the stores.
        GemmPrefetch.Tile(c, ldc, Mr, Nr);
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        int p = 0;
        // Two k steps per trip halve the loop overhead against 2·MR·NV FMAs.
        for (; p + 1 < kc; p += 2)
        {
            var b00 = Vector256.Load(b);
            var b10 = Vector256.Load(b + 8);
            var a00 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a00, b00, c00);
            c01 = Vector256.FusedMultiplyAdd(a00, b10, c01);
            var a10 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a10, b00, c10);
            c11 = Vector256.FusedMultiplyAdd(a10, b10, c11);
            var a20 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a20, b00, c20);
            c21 = Vector256.FusedMultiplyAdd(a20, b10, c21);
            var a30 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a30, b00, c30);
            c31 = Vector256.FusedMultiplyAdd(a30, b10, c31);
            var a40 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a40, b00, c40);
            c41 = Vector256.FusedMultiplyAdd(a40, b10, c41);
            var a50 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a50, b00, c50);
            c51 = Vector256.FusedMultiplyAdd(a50, b10, c51);
            var b01 = Vector256.Load(b + bStride);
            var b11 = Vector256.Load(b + bStride + 8);
            var a01 = Vector256.Create(a[6]);
            c00 = Vector256.FusedMultiplyAdd(a01, b01, c00);
            c01 = Vector256.FusedMultiplyAdd(a01, b11, c01);
            var a11 = Vector256.Create(a[7]);
            c10 = Vector256.FusedMultiplyAdd(a11, b01, c10);
            c11 = Vector256.FusedMultiplyAdd(a11, b11, c11);
            var a21 = Vector256.Create(a[8]);
            c20 = Vector256.FusedMultiplyAdd(a21, b01, c20);
            c21 = Vector256.FusedMultiplyAdd(a21, b11, c21);
            var a31 = Vector256.Create(a[9]);
            c30 = Vector256.FusedMultiplyAdd(a31, b01, c30);
            c31 = Vector256.FusedMultiplyAdd(a31, b11, c31);
            var a41 = Vector256.Create(a[10]);
            c40 = Vector256.FusedMultiplyAdd(a41, b01, c40);
            c41 = Vector256.FusedMultiplyAdd(a41, b11, c41);
            var a51 = Vector256.Create(a[11]);
            c50 = Vector256.FusedMultiplyAdd(a51, b01, c50);
            c51 = Vector256.FusedMultiplyAdd(a51, b11, c51);
            a += 12;
            b += 2 * bStride;
        }
        if (p < kc)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
        }
        var va = Vector256.Create(alpha);
        Store(c, c00, va, beta);
        Store(c + 8, c01, va, beta);
        c += ldc;
        Store(c, c10, va, beta);
        Store(c + 8, c11, va, beta);
        c += ldc;
        Store(c, c20, va, beta);
        Store(c + 8, c21, va, beta);
        c += ldc;
        Store(c, c30, va, beta);
        Store(c + 8, c31, va, beta);
        c += ldc;
        Store(c, c40, va, beta);
        Store(c + 8, c41, va, beta);
        c += ldc;
        Store(c, c50, va, beta);
        Store(c + 8, c51, va, beta);
    }

    public static void Strip(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        var c0 = Vector256<float>.Zero;
        var c1 = Vector256<float>.Zero;
        var c2 = Vector256<float>.Zero;
        var c3 = Vector256<float>.Zero;
        var c4 = Vector256<float>.Zero;
        var c5 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[1]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[2]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[3]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[4]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[5]), b0, c5);
            a += 6;
            b += bStride;
        }
        var va = Vector256.Create(alpha);
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
    }

    /// <summary>C = alpha·acc + beta·C with one rounding for the sum; beta = 0 never reads C (it may hold NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector256<float> acc, Vector256<float> alpha, float beta)
    {
        if (beta == 0)
        {
            (acc * alpha).Store(dst);
        }
        else
        {
            Vector256.FusedMultiplyAdd(acc, alpha, Vector256.Load(dst) * beta).Store(dst);
        }
    }
}

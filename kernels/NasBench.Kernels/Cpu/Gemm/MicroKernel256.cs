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

    public static void Full(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
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
        for (int p = 0; p < kc; p++)
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
            a += 6;
            b += 16;
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>128-bit micro-kernel (SSE / NEON), 6 rows × 8 columns.</summary>
/// <remarks>12 accumulators + 2 B vectors + 1 broadcast fit the 16 xmm registers of x64 without AVX-512.</remarks>
internal readonly unsafe struct MicroKernel128 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 8;

    public static int Vw => 4;

    public static void Full(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        var c00 = Vector128<float>.Zero;
        var c01 = Vector128<float>.Zero;
        var c10 = Vector128<float>.Zero;
        var c11 = Vector128<float>.Zero;
        var c20 = Vector128<float>.Zero;
        var c21 = Vector128<float>.Zero;
        var c30 = Vector128<float>.Zero;
        var c31 = Vector128<float>.Zero;
        var c40 = Vector128<float>.Zero;
        var c41 = Vector128<float>.Zero;
        var c50 = Vector128<float>.Zero;
        var c51 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            var a1 = Vector128.Create(a[1]);
            c10 = Fma(a1, b0, c10);
            c11 = Fma(a1, b1, c11);
            var a2 = Vector128.Create(a[2]);
            c20 = Fma(a2, b0, c20);
            c21 = Fma(a2, b1, c21);
            var a3 = Vector128.Create(a[3]);
            c30 = Fma(a3, b0, c30);
            c31 = Fma(a3, b1, c31);
            var a4 = Vector128.Create(a[4]);
            c40 = Fma(a4, b0, c40);
            c41 = Fma(a4, b1, c41);
            var a5 = Vector128.Create(a[5]);
            c50 = Fma(a5, b0, c50);
            c51 = Fma(a5, b1, c51);
            a += 6;
            b += 8;
        }
        var va = Vector128.Create(alpha);
        Store(c, c00, va, beta);
        Store(c + 4, c01, va, beta);
        c += ldc;
        Store(c, c10, va, beta);
        Store(c + 4, c11, va, beta);
        c += ldc;
        Store(c, c20, va, beta);
        Store(c + 4, c21, va, beta);
        c += ldc;
        Store(c, c30, va, beta);
        Store(c + 4, c31, va, beta);
        c += ldc;
        Store(c, c40, va, beta);
        Store(c + 4, c41, va, beta);
        c += ldc;
        Store(c, c50, va, beta);
        Store(c + 4, c51, va, beta);
    }

    public static void Strip(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        var c0 = Vector128<float>.Zero;
        var c1 = Vector128<float>.Zero;
        var c2 = Vector128<float>.Zero;
        var c3 = Vector128<float>.Zero;
        var c4 = Vector128<float>.Zero;
        var c5 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            c0 = Fma(Vector128.Create(a[0]), b0, c0);
            c1 = Fma(Vector128.Create(a[1]), b0, c1);
            c2 = Fma(Vector128.Create(a[2]), b0, c2);
            c3 = Fma(Vector128.Create(a[3]), b0, c3);
            c4 = Fma(Vector128.Create(a[4]), b0, c4);
            c5 = Fma(Vector128.Create(a[5]), b0, c5);
            a += 6;
            b += bStride;
        }
        var va = Vector128.Create(alpha);
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
    private static void Store(float* dst, Vector128<float> acc, Vector128<float> alpha, float beta)
    {
        if (beta == 0)
        {
            (acc * alpha).Store(dst);
        }
        else
        {
            Fma(acc, alpha, Vector128.Load(dst) * beta).Store(dst);
        }
    }

    /// <summary>a·b + c: fused where the CPU has vector FMA, else multiply then add (emulated FMA is far slower).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        GemmDispatch.HasFma ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}

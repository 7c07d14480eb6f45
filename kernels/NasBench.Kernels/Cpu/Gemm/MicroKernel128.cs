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

    public static int NarrowColumns => 0;

    public static void Column(int kc, float* a, float* b, nint bStride, float* sums) =>
        throw new NotSupportedException("This micro-kernel has no narrow-column edge path.");

    public static void Full(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
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
        int p = 0;
        // Two k steps per trip halve the loop overhead against 2·MR·NV FMAs.
        for (; p + 1 < kc; p += 2)
        {
            var b00 = Vector128.Load(b);
            var b10 = Vector128.Load(b + 4);
            var a00 = Vector128.Create(a[0]);
            c00 = Fma(a00, b00, c00);
            c01 = Fma(a00, b10, c01);
            var a10 = Vector128.Create(a[1]);
            c10 = Fma(a10, b00, c10);
            c11 = Fma(a10, b10, c11);
            var a20 = Vector128.Create(a[2]);
            c20 = Fma(a20, b00, c20);
            c21 = Fma(a20, b10, c21);
            var a30 = Vector128.Create(a[3]);
            c30 = Fma(a30, b00, c30);
            c31 = Fma(a30, b10, c31);
            var a40 = Vector128.Create(a[4]);
            c40 = Fma(a40, b00, c40);
            c41 = Fma(a40, b10, c41);
            var a50 = Vector128.Create(a[5]);
            c50 = Fma(a50, b00, c50);
            c51 = Fma(a50, b10, c51);
            var b01 = Vector128.Load(b + bStride);
            var b11 = Vector128.Load(b + bStride + 4);
            var a01 = Vector128.Create(a[6]);
            c00 = Fma(a01, b01, c00);
            c01 = Fma(a01, b11, c01);
            var a11 = Vector128.Create(a[7]);
            c10 = Fma(a11, b01, c10);
            c11 = Fma(a11, b11, c11);
            var a21 = Vector128.Create(a[8]);
            c20 = Fma(a21, b01, c20);
            c21 = Fma(a21, b11, c21);
            var a31 = Vector128.Create(a[9]);
            c30 = Fma(a31, b01, c30);
            c31 = Fma(a31, b11, c31);
            var a41 = Vector128.Create(a[10]);
            c40 = Fma(a41, b01, c40);
            c41 = Fma(a41, b11, c41);
            var a51 = Vector128.Create(a[11]);
            c50 = Fma(a51, b01, c50);
            c51 = Fma(a51, b11, c51);
            a += 12;
            b += 2 * bStride;
        }
        if (p < kc)
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

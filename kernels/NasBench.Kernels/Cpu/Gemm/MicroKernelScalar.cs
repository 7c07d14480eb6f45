namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Portable scalar micro-kernel, 4 × 4: the fallback where no vector width is accelerated.</summary>
/// <remarks>16 scalar accumulators; each C element is still reduced over k in order, like the vector paths.</remarks>
internal readonly unsafe struct MicroKernelScalar : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static int Vw => 1;

    public static int NarrowColumns => 0;

    public static void Column(int kc, float* a, float* b, nint bStride, float* sums) =>
        throw new NotSupportedException("This micro-kernel has no narrow-column edge path.");

    public static void Full(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0;
        float c01 = 0;
        float c02 = 0;
        float c03 = 0;
        float c10 = 0;
        float c11 = 0;
        float c12 = 0;
        float c13 = 0;
        float c20 = 0;
        float c21 = 0;
        float c22 = 0;
        float c23 = 0;
        float c30 = 0;
        float c31 = 0;
        float c32 = 0;
        float c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0];
            float b1 = b[1];
            float b2 = b[2];
            float b3 = b[3];
            float a0 = a[0];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            float a1 = a[1];
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            float a2 = a[2];
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            float a3 = a[3];
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
            a += 4;
            b += bStride;
        }
        c[0] = GemmTile.Combine(c00, alpha, beta, c[0]);
        c[1] = GemmTile.Combine(c01, alpha, beta, c[1]);
        c[2] = GemmTile.Combine(c02, alpha, beta, c[2]);
        c[3] = GemmTile.Combine(c03, alpha, beta, c[3]);
        c += ldc;
        c[0] = GemmTile.Combine(c10, alpha, beta, c[0]);
        c[1] = GemmTile.Combine(c11, alpha, beta, c[1]);
        c[2] = GemmTile.Combine(c12, alpha, beta, c[2]);
        c[3] = GemmTile.Combine(c13, alpha, beta, c[3]);
        c += ldc;
        c[0] = GemmTile.Combine(c20, alpha, beta, c[0]);
        c[1] = GemmTile.Combine(c21, alpha, beta, c[1]);
        c[2] = GemmTile.Combine(c22, alpha, beta, c[2]);
        c[3] = GemmTile.Combine(c23, alpha, beta, c[3]);
        c += ldc;
        c[0] = GemmTile.Combine(c30, alpha, beta, c[0]);
        c[1] = GemmTile.Combine(c31, alpha, beta, c[1]);
        c[2] = GemmTile.Combine(c32, alpha, beta, c[2]);
        c[3] = GemmTile.Combine(c33, alpha, beta, c[3]);
    }

    public static void Strip(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        float c0 = 0;
        float c1 = 0;
        float c2 = 0;
        float c3 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0];
            c0 += a[0] * b0;
            c1 += a[1] * b0;
            c2 += a[2] * b0;
            c3 += a[3] * b0;
            a += 4;
            b += bStride;
        }
        c[0] = GemmTile.Combine(c0, alpha, beta, c[0]);
        c += ldc;
        c[0] = GemmTile.Combine(c1, alpha, beta, c[0]);
        c += ldc;
        c[0] = GemmTile.Combine(c2, alpha, beta, c[0]);
        c += ldc;
        c[0] = GemmTile.Combine(c3, alpha, beta, c[0]);
    }
}

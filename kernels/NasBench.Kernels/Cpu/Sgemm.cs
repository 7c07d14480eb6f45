using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Single-precision GEMM, row-major: <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
/// <remarks>Contract is that of <see cref="SgemmReference.Multiply"/>. TEMPORARY body: delegates to the reference until
/// the packed, register-blocked kernel lands.</remarks>
public static class Sgemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => SgemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

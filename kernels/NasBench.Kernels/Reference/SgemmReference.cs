namespace NasBench.Kernels.Reference;

/// <summary>Triple-loop SGEMM: the oracle the fast kernel is tested against. Accumulates in double.</summary>
public static class SgemmReference
{
    /// <summary><c>C = alpha·op(A)·op(B) + beta·C</c>, row-major, op(X) = X or Xᵀ.</summary>
    /// <remarks>op(A) is m×k, op(B) is k×n, C is m×n. <paramref name="lda"/> etc. are row strides of the stored
    /// matrices (A stored k×m when transposed). beta = 0 ignores C's old contents, NaN included.</remarks>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)av * bv;
                }
                float old = beta == 0 ? 0 : beta * c[(i * ldc) + j];
                c[(i * ldc) + j] = (float)(alpha * sum) + old;
            }
        }
    }
}

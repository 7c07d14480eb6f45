using NasBench.Kernels.Cpu.Gemm;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Single-precision GEMM, row-major: <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
/// <remarks>
/// Contract is that of <see cref="SgemmReference.Multiply"/>: op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are
/// the row strides of the matrices as stored (A stored k×m when <c>transA</c>). beta = 0 ignores C's old contents, NaN
/// included. As in BLAS, k = 0 or alpha = 0 only scales C by beta and does not read A or B.
/// Implementation: Goto/BLIS blocking with packed, zero-padded panels and a register-blocked FMA micro-kernel, the
/// widest of Vector512 (8×48), Vector256 (6×16), Vector128 (6×8) or scalar (4×4) the CPU accelerates. Threads via
/// <see cref="CpuParallel"/> over a fixed M/N grid: results are bit-identical at any thread count. Sums are float, in
/// k order; error grows like k·ε·Σ|a||b|.
/// </remarks>
/// <exception cref="ArgumentOutOfRangeException">A size is negative or a stride is shorter than its row.</exception>
/// <exception cref="ArgumentException">A span is too short for its matrix.</exception>
public static class Sgemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>As the public overload, on a chosen micro-kernel path (tests force each path on one machine).
    /// With <paramref name="reluB"/>, <c>C = alpha·op(A)·max(op(B), 0) + beta·C</c>: the ReLU is applied as B is
    /// packed, so a convolution can read relu(x) without it being written (B is then always packed, never read in
    /// place); bit-identical to the product with a materialised max(B, 0).</summary>
    internal static unsafe void Multiply(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        bool reluB = false)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        var resolved = GemmDispatch.Resolve(path);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0)
        {
            GemmTile.Scale(m, n, beta, c, ldc);
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            GemmDriver.Run(resolved, new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc,
                reluB));
        }
    }
}

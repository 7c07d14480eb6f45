namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>One validated SGEMM call on pinned memory: <c>C = alpha·op(A)·op(B) + beta·C</c>, row-major; with
/// <c>reluB</c>, op(B) is read through max(·, 0).</summary>
internal readonly unsafe struct GemmProblem(bool transA, bool transB, int m, int n, int k, float alpha,
    float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool reluB = false)
{
    public bool TransA { get; } = transA;
    public bool TransB { get; } = transB;
    public int M { get; } = m;
    public int N { get; } = n;
    public int K { get; } = k;
    public float Alpha { get; } = alpha;
    public float Beta { get; } = beta;
    public float* A { get; } = a;
    public nint Lda { get; } = lda;
    public float* B { get; } = b;
    public nint Ldb { get; } = ldb;
    public float* C { get; } = c;
    public nint Ldc { get; } = ldc;

    /// <summary>Whether B's elements pass through max(·, 0) as they are packed (a ReLU fused into the convolution
    /// whose col matrix B is).</summary>
    public bool ReluB { get; } = reluB;
}

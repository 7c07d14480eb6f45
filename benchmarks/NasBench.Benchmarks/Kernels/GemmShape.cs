namespace NasBench.Benchmarks.Kernels;

/// <summary>One SGEMM benchmark case: op(A) is M×K, op(B) is K×N, row-major, densely stored.</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransA = false, bool TransB = false)
{
    public double Flops => 2.0 * M * N * K;

    /// <summary>A square product.</summary>
    public static GemmShape Square(int n) => new($"sq{n}", n, n, n);

    /// <summary>im2col 3×3 convolution GEMMs of peers.md §2 for a batch of images, C×H×W maps.</summary>
    /// <remarks>fwd: Y[Co, B·H·W] = W[Co, Ci·9]·col; bwdW: dW = dY·colᵀ; bwdD: dcol = Wᵀ·dY.</remarks>
    public static GemmShape ConvForward(int batch, int hw, int ci, int co) =>
        new($"fwd b{batch} {hw}² {ci}→{co}", co, batch * hw * hw, ci * 9);

    public static GemmShape ConvBackwardWeights(int batch, int hw, int ci, int co) =>
        new($"bwdW b{batch} {hw}² {ci}→{co}", co, ci * 9, batch * hw * hw, TransB: true);

    public static GemmShape ConvBackwardData(int batch, int hw, int ci, int co) =>
        new($"bwdD b{batch} {hw}² {ci}→{co}", ci * 9, batch * hw * hw, co, TransA: true);

    public override string ToString() => Name;
}

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Scalar C updates: the element formula every path shares, and edge tiles cut by the matrix border.</summary>
internal static unsafe class GemmTile
{
    /// <summary>alpha·acc + beta·old with the same single rounding as the vector stores; beta = 0 ignores old, so NaN
    /// in an uninitialised C does not leak into the result.</summary>
    public static float Combine(float acc, float alpha, float beta, float old) =>
        beta == 0 ? acc * alpha : MathF.FusedMultiplyAdd(acc, alpha, old * beta);

    /// <summary>Writes the valid <paramref name="rows"/>×<paramref name="cols"/> corner of a raw accumulator tile
    /// into C.</summary>
    public static void Merge(float* tile, int tileLd, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + ((nint)r * tileLd);
            float* dst = c + (r * ldc);
            for (int j = 0; j < cols; j++)
            {
                dst[j] = Combine(src[j], alpha, beta, dst[j]);
            }
        }
    }

    /// <summary>C = beta·C over an m×n block (the whole product when k = 0 or alpha = 0).</summary>
    public static void Scale(int m, int n, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0)
            {
                row.Clear();
            }
            else if (beta != 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}

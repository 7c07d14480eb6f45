namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Argument checks for SGEMM: negative sizes, strides shorter than a row, spans too short.</summary>
internal static class GemmArguments
{
    public static void Validate(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength,
        int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }
        CheckMatrix("c", cLength, m, n, ldc, "ldc");
        if (k == 0)
        {
            return;
        }
        // Stored shapes: A is m×k (k×m when transposed), B is k×n (n×k when transposed).
        CheckMatrix("a", aLength, transA ? k : m, transA ? m : k, lda, "lda");
        CheckMatrix("b", bLength, transB ? n : k, transB ? k : n, ldb, "ldb");
    }

    private static void CheckMatrix(string name, int length, int rows, int cols, int ld, string ldName)
    {
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName} = {ld} is smaller than the {cols} columns of stored {name} ({rows}×{cols}).");
        }
        long needed = ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Span {name} holds {length} floats but a {rows}×{cols} matrix with row stride {ld} needs {needed}.",
                name);
        }
    }
}

using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>Tiled SGEMM on a CUDA device (<c>Sgemm.cu</c>): <c>C = alpha·op(A)·op(B) + beta·C</c>, row-major.</summary>
/// <remarks>The contract of <see cref="Reference.SgemmReference.Multiply"/>: op(A) is m×k, op(B) is k×n, C is m×n;
/// lda/ldb/ldc are row strides of the stored matrices (A stored k×m when transposed); beta = 0 ignores C's old
/// contents, NaN included. 64×64 output tiles, 16-deep shared-memory tiles, a 4×4 register tile per thread.</remarks>
public sealed class CudaSgemm
{
    private const int Tile = 64;
    private readonly CudaKernel _kernel;

    public CudaSgemm(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _kernel = device.GetEmbeddedModule("Sgemm.cu").GetKernel("sgemm_tiled");
    }

    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, CudaBuffer<float> a, int lda,
        CudaBuffer<float> b, int ldb, float beta, CudaBuffer<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }
        CheckMatrix(a, transA ? k : m, transA ? m : k, lda, nameof(a));
        CheckMatrix(b, transB ? n : k, transB ? k : n, ldb, nameof(b));
        CheckMatrix(c, m, n, ldc, nameof(c));
        var launch = new CudaLaunch((uint)((n + Tile - 1) / Tile), (uint)((m + Tile - 1) / Tile), 1, 256, 1, 1);
        _kernel.Launch(launch, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a.DevicePointer, lda, b.DevicePointer,
            ldb, beta, c.DevicePointer, ldc);
    }

    private static void CheckMatrix(CudaBuffer<float> x, int rows, int cols, int ld, string name)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }
        if (ld < cols)
        {
            throw new ArgumentException($"Row stride of {name} ({ld}) is less than its {cols} columns.", name);
        }
        CudaChecks.Length(x, ((long)(rows - 1) * ld) + cols, name);
    }
}

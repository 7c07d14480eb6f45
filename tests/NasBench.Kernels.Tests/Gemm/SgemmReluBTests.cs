using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Gemm;

namespace NasBench.Kernels.Tests.Gemm;

/// <summary><c>Sgemm.Multiply(…, reluB: true)</c> (the ReLU applied as B is packed) against
/// <see cref="Sgemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int,
/// float, Span{float}, int)"/> on a materialised max(B, 0), bit for bit.</summary>
public class SgemmReluBTests
{
    // m, n, k: few rows (B would be read in place), many rows, ragged panels, a k over one block.
    [Theory]
    [InlineData(24, 784, 96)]
    [InlineData(7, 33, 5)]
    [InlineData(100, 70, 19)]
    [InlineData(16, 50, 600)]
    public void Relu_on_packed_b_equals_gemm_on_relu_of_b(int m, int n, int k)
    {
        var rng = new Random(m * 1000 + n + k);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                var a = Random(rng, m * k);
                var b = Random(rng, k * n);
                // Signed zeros and a NaN: the packed ReLU must be the IEEE maximum of ActivationKernel.Relu.
                b[0] = -0f;
                b[b.Length / 2] = float.NaN;
                b[b.Length - 1] = 0f;
                var relu = new float[b.Length];
                ActivationKernel.Relu(b, relu);
                var c0 = Random(rng, m * n);
                int lda = transA ? m : k, ldb = transB ? k : n;
                var expected = (float[])c0.Clone();
                Sgemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, relu, ldb, 1f, expected, n);
                var actual = (float[])c0.Clone();
                Sgemm.Multiply(GemmPath.Auto, transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, actual, n,
                    reluB: true);
                Assert.Equal(expected, actual);
                // The test means something only if the ReLU changes the product (a NaN-free B for this check).
                b[b.Length / 2] = 1f;
                var plain = (float[])c0.Clone();
                Sgemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, plain, n);
                var rectified = (float[])c0.Clone();
                Sgemm.Multiply(GemmPath.Auto, transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, rectified, n,
                    reluB: true);
                Assert.NotEqual(plain, rectified);
            }
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (float)(rng.NextDouble() - 0.5);
        }
        return v;
    }
}

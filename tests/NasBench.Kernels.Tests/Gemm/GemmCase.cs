using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Gemm;

/// <summary>One SGEMM test problem with seeded data, strides and the reference result it must match.</summary>
internal sealed class GemmCase
{
    public GemmCase(bool transA, bool transB, int m, int n, int k, float alpha, float beta, int seed,
        int padA = 0, int padB = 0, int padC = 0)
    {
        TransA = transA;
        TransB = transB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        Beta = beta;
        Lda = (transA ? m : k) + padA;
        Ldb = (transB ? k : n) + padB;
        Ldc = n + padC;
        var random = new Random(seed);
        A = Fill(random, (transA ? k : m) * Lda);
        B = Fill(random, (transB ? n : k) * Ldb);
        // beta = 0 must ignore old C entirely, so give it NaN to prove it.
        C0 = beta == 0 ? Enumerable.Repeat(float.NaN, m * Ldc).ToArray() : Fill(random, m * Ldc);
    }

    public bool TransA { get; }
    public bool TransB { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public float Alpha { get; }
    public float Beta { get; }
    public int Lda { get; }
    public int Ldb { get; }
    public int Ldc { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] C0 { get; }

    public override string ToString() =>
        $"{(TransA ? "T" : "N")}{(TransB ? "T" : "N")} m={M} n={N} k={K} alpha={Alpha} beta={Beta} " +
        $"lda={Lda} ldb={Ldb} ldc={Ldc}";

    public float[] Run(Action<GemmCase, float[]> multiply)
    {
        var c = (float[])C0.Clone();
        multiply(this, c);
        return c;
    }

    /// <summary>Checks <paramref name="actual"/> against the double-accumulating reference, with a per-element
    /// tolerance from the float error bound k·ε·(|alpha|·Σ|a||b| + |beta·c|); stride padding must be untouched.</summary>
    public void AssertMatchesReference(float[] actual)
    {
        var expected = (float[])C0.Clone();
        SgemmReference.Multiply(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, expected, Ldc);
        // Σ|a||b| per element, from the same oracle on absolute values.
        var magnitudes = new float[M * Ldc];
        SgemmReference.Multiply(TransA, TransB, M, N, K, 1f, Abs(A), Lda, Abs(B), Ldb, 0f, magnitudes, Ldc);
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < Ldc; j++)
            {
                int index = (i * Ldc) + j;
                if (j >= N)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(C0[index]) == BitConverter.SingleToInt32Bits(
                        actual[index]), $"{this}: padding C[{i},{j}] was written");
                    continue;
                }
                double magnitude = magnitudes[index];
                double old = Beta == 0 ? 0 : Math.Abs((double)Beta * C0[index]);
                double tolerance = ((K + 4) * 1.2e-7 * ((Math.Abs(Alpha) * magnitude) + old)) + 1e-30;
                double error = Math.Abs((double)actual[index] - expected[index]);
                Assert.True(error <= tolerance,
                    $"{this}: C[{i},{j}] = {actual[index]}, reference {expected[index]}, error {error:E2} > {tolerance:E2}");
            }
        }
    }

    private static float[] Abs(float[] data) => data.Select(Math.Abs).ToArray();

    private static float[] Fill(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return data;
    }
}

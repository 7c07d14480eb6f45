using NasBench.Search.Splitting;

namespace NasBench.Search.Tests.Splitting;

public class ExactEigenTests
{
    /// <summary>S = Q·diag(λ)·Qᵀ with a random orthogonal Q from Gram–Schmidt: the spectrum is known exactly.</summary>
    internal static (float[] S, double[][] Q) KnownSpectrum(double[] lambda, int seed)
    {
        int d = lambda.Length;
        var rng = new Random(seed);
        var q = new double[d][];
        for (int i = 0; i < d; i++)
        {
            var v = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
            for (int j = 0; j < i; j++)
            {
                double dot = v.Zip(q[j]).Sum(p => p.First * p.Second);
                for (int k = 0; k < d; k++)
                {
                    v[k] -= dot * q[j][k];
                }
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            q[i] = [.. v.Select(x => x / norm)];
        }
        var s = new float[d * d];
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++)
                {
                    sum += q[k][r] * lambda[k] * q[k][c];
                }
                s[(r * d) + c] = (float)sum;
            }
        }
        return (s, q);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(9, 2)]
    [InlineData(27, 3)]
    public void Recovers_a_known_spectrum(int d, int seed)
    {
        var lambda = Enumerable.Range(0, d).Select(i => -1.5 + (3.0 * i / (d - 1))).ToArray();
        var (s, q) = KnownSpectrum(lambda, seed);
        var pairs = ExactEigen.Compute(s, d);
        Assert.Equal(-1.5, pairs.MinValue, 4);
        Assert.Equal(1.5, pairs.MaxValue, 4);
        // Eigenvectors are defined up to sign: compare |⟨v, q⟩| with 1.
        Assert.Equal(1.0, Math.Abs(pairs.MinVector.Zip(q[0]).Sum(p => p.First * p.Second)), 3);
        Assert.Equal(1.0, Math.Abs(pairs.MaxVector.Zip(q[d - 1]).Sum(p => p.First * p.Second)), 3);
    }

    [Fact]
    public void Wrong_size_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => ExactEigen.Compute(new float[8], 3));
    }
}

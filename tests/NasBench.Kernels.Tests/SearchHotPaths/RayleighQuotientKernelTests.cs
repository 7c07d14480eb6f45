using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.SearchHotPaths;

public class RayleighQuotientKernelTests
{
    private static readonly int[] Dimensions = [.. Enumerable.Range(1, 40), 63, 64, 65, 144, 150];

    public static TheoryData<int> Widths() => new(TestData.Widths.Select(w => (int)w));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Quotient_matches_reference(int simdWidth)
    {
        var random = new Random(21);
        foreach (int d in Dimensions)
        {
            const int Batch = 3;
            var s = SymmetricMatrices.Random(random, Batch, d);
            var v = TestData.Uniform(random, Batch * d);
            var expected = new float[Batch];
            var actual = new float[Batch];
            RayleighQuotientReference.Quotient(Batch, d, s, v, expected);
            RayleighQuotientKernel.Quotient(Batch, d, s, v, actual, (SimdWidth)simdWidth);
            for (int b = 0; b < Batch; b++)
            {
                // |λ| ≤ max row sum ≤ d; float sums over d terms: a few ulps of d·eps.
                Assert.True(Math.Abs(actual[b] - expected[b]) <= 1e-5 * Math.Max(1, Math.Sqrt(d)),
                    $"d={d} b={b}: {actual[b]} vs {expected[b]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Step_and_Iterate_match_reference(int simdWidth)
    {
        var random = new Random(22);
        foreach (int d in Dimensions)
        {
            const int Batch = 3;
            var s = SymmetricMatrices.Random(random, Batch, d);
            var v0 = TestData.Uniform(random, Batch * d);
            float eta = 0.1f / d;

            var vExpected = v0.ToArray();
            var vActual = v0.ToArray();
            var lExpected = new float[Batch];
            var lActual = new float[Batch];
            RayleighQuotientReference.Step(Batch, d, s, vExpected, eta, lExpected);
            RayleighQuotientKernel.Step(Batch, d, s, vActual, eta, lActual, (SimdWidth)simdWidth);
            AssertClose(lExpected, lActual, 1e-5 * Math.Max(1, Math.Sqrt(d)), $"step λ d={d}");
            AssertClose(vExpected, vActual, 1e-5, $"step v d={d}");

            RayleighQuotientReference.Iterate(Batch, d, s, vExpected, eta, 3, lExpected);
            RayleighQuotientKernel.Iterate(Batch, d, s, vActual, eta, 3, lActual, (SimdWidth)simdWidth);
            AssertClose(lExpected, lActual, 1e-4 * Math.Max(1, Math.Sqrt(d)), $"iterate λ d={d}");
            AssertClose(vExpected, vActual, 1e-4, $"iterate v d={d}");
        }
    }

    [Fact]
    public void One_and_two_threads_are_bit_identical()
    {
        var random = new Random(23);
        const int Batch = 16, D = 100;
        var s = SymmetricMatrices.Random(random, Batch, D);
        var v0 = TestData.Uniform(random, Batch * D);
        (float[] V, float[] L, float[] Q) Run(int threads)
        {
            using var _ = CpuParallel.Limit(threads);
            var v = v0.ToArray();
            var l = new float[Batch];
            var q = new float[Batch];
            RayleighQuotientKernel.Step(Batch, D, s, v, 0.001f, l);
            RayleighQuotientKernel.Iterate(Batch, D, s, v, 0.001f, 4, q);
            RayleighQuotientKernel.Quotient(Batch, D, s, v, q);
            return (v, l, q);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.V, two.V);
        Assert.Equal(one.L, two.L);
        Assert.Equal(one.Q, two.Q);
    }

    [Theory]
    [InlineData(48)]
    [InlineData(144)]
    public void Iterate_converges_to_the_smallest_eigenpair_of_a_known_spectrum(int d)
    {
        var random = new Random(24 + d);
        const int Batch = 2;
        var s = new float[Batch * d * d];
        var minVectors = new double[Batch][];
        for (int b = 0; b < Batch; b++)
        {
            // λ_min = −2 separated from the rest of the spectrum in [−1, 1]; η·(λ_max − λ_min) = 0.6 < 1.
            var eigenvalues = Enumerable.Range(0, d).Select(m => m == 0 ? -2.0 : -1 + (2.0 * m / (d - 1))).ToArray();
            var (sb, q) = SymmetricMatrices.WithSpectrum(random, eigenvalues);
            sb.CopyTo(s, b * d * d);
            minVectors[b] = Enumerable.Range(0, d).Select(i => q[i, 0]).ToArray();
        }
        var v = TestData.Uniform(random, Batch * d);
        var lambda = new float[Batch];
        RayleighQuotientKernel.Iterate(Batch, d, s, v, 0.2f, 100, lambda);
        for (int b = 0; b < Batch; b++)
        {
            Assert.True(Math.Abs(lambda[b] - -2.0) < 1e-4, $"b={b}: λ={lambda[b]}");
            double align = 0;
            for (int i = 0; i < d; i++)
            {
                align += v[(b * d) + i] * minVectors[b][i];
            }
            Assert.True(Math.Abs(Math.Abs(align) - 1) < 1e-4, $"b={b}: |⟨v, q_min⟩| = {Math.Abs(align)}");
        }
    }

    [Fact]
    public void StepFromProducts_agrees_with_Step()
    {
        var random = new Random(25);
        const int Batch = 5, D = 77;
        var s = SymmetricMatrices.Random(random, Batch, D);
        var v0 = TestData.Uniform(random, Batch * D);
        // The products a back-propagation would deliver: S·v, computed independently in double.
        var sv = new float[Batch * D];
        for (int b = 0; b < Batch; b++)
        {
            for (int i = 0; i < D; i++)
            {
                double sum = 0;
                for (int j = 0; j < D; j++)
                {
                    sum += (double)s[(b * D * D) + (i * D) + j] * v0[(b * D) + j];
                }
                sv[(b * D) + i] = (float)sum;
            }
        }
        var vStep = v0.ToArray();
        var vProducts = v0.ToArray();
        var lStep = new float[Batch];
        var lProducts = new float[Batch];
        RayleighQuotientKernel.Step(Batch, D, s, vStep, 0.002f, lStep);
        RayleighQuotientKernel.StepFromProducts(Batch, D, vProducts, sv, 0.002f, lProducts);
        AssertClose(lStep, lProducts, 1e-4, "λ");
        AssertClose(vStep, vProducts, 1e-5, "v");
    }

    [Fact]
    public void Short_spans_are_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            RayleighQuotientKernel.Quotient(2, 3, new float[17], new float[6], new float[2]));
        Assert.Throws<ArgumentException>(() =>
            RayleighQuotientKernel.Step(2, 3, new float[18], new float[5], 0.1f, new float[2]));
        Assert.Throws<ArgumentException>(() =>
            RayleighQuotientKernel.StepFromProducts(2, 3, new float[6], new float[5], 0.1f, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RayleighQuotientKernel.Iterate(2, 3, new float[18], new float[6], 0.1f, -1, new float[2]));
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what} [{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}

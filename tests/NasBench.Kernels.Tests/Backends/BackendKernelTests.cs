using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>
/// Backend-agnostic kernel tests (ILGPU style): every test is written once here and checks a backend's kernels
/// against scalar loops in double; each backend supplies a subclass that runs the operations on host arrays.
/// </summary>
/// <remarks>Sizes 1, 17, 1025, 8197 are deliberately not multiples of vector, warp or block widths.</remarks>
public abstract class BackendKernelTests
{
    private static readonly int[] Lengths = [1, 17, 1025, 8197];

    protected abstract void MixedOpForward(float[] weights, float[][] inputs, float[] output);

    protected abstract void MixedOpBackward(float[] weights, float[][] inputs, float[] dy, float[]?[] dInputs,
        float[] dWeights, bool accumulate);

    protected abstract void RayleighQuotient(int batch, int d, float[] s, float[] v, float[] lambda);

    protected abstract void RayleighStep(int batch, int d, float[] s, float[] v, float stepSize, float[] lambda,
        int iterations);

    protected abstract void RayleighStepFromProducts(int batch, int d, float[] v, float[] sv, float stepSize,
        float[] lambda);

    protected abstract float ExpectedCost(int edges, int ops, float[] alpha, float[] table, float[] probabilities,
        float[] dAlpha);

    protected abstract void BatchLookup(int population, int slots, int[] entryIndex, float[] entryCost,
        float[] totals);

    protected abstract void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc);

    protected abstract void Relu(float[] x, float[] y);

    protected abstract void ReluBackward(float[] x, float[] dy, float[] dx, bool accumulate);

    protected abstract void DepthwiseForward(Conv2dShape shape, float[] x, float[] w, float[]? bias, float[] y);

    [BackendFact]
    public void MixedOp_forward_matches_the_scalar_weighted_sum()
    {
        var rng = new Random(11);
        foreach (int k in new[] { 1, 3, 8 })
        foreach (int n in Lengths)
        {
            float[] w = Random(rng, k, -1, 1);
            // Inputs longer than the output, as pooled buffers are: only output.Length elements count.
            float[][] x = Enumerable.Range(0, k).Select(_ => Random(rng, n + 5, -2, 2)).ToArray();
            var y = new float[n];
            MixedOpForward(w, x, y);
            for (int i = 0; i < n; i++)
            {
                double expected = 0, scale = 0;
                for (int j = 0; j < k; j++)
                {
                    expected += (double)w[j] * x[j][i];
                    scale += Math.Abs((double)w[j] * x[j][i]);
                }
                AssertNear(expected, y[i], scale, 1e-5, $"y[{i}] (k {k}, n {n})");
            }
        }
    }

    [BackendFact]
    public void MixedOp_backward_gives_scaled_gradients_and_dot_product_weight_gradients()
    {
        var rng = new Random(12);
        foreach (bool accumulate in new[] { false, true })
        foreach (int n in Lengths)
        {
            const int k = 5;
            float[] w = Random(rng, k, -1, 1);
            float[][] x = Enumerable.Range(0, k).Select(_ => Random(rng, n, -2, 2)).ToArray();
            float[] dy = Random(rng, n, -1, 1);
            // Input 2 needs no gradient (a parameter-free op whose input is frozen): its slot is null.
            float[]?[] dx = Enumerable.Range(0, k).Select(j => j == 2 ? null : Random(rng, n, -1, 1)).ToArray();
            float[]?[] before = dx.Select(a => (float[]?)a?.Clone()).ToArray();
            float[] dw = Random(rng, k, 5, 6);
            MixedOpBackward(w, x, dy, dx, dw, accumulate);
            for (int j = 0; j < k; j++)
            {
                double dot = 0, scale = 0;
                for (int i = 0; i < n; i++)
                {
                    dot += (double)x[j][i] * dy[i];
                    scale += Math.Abs((double)x[j][i] * dy[i]);
                }
                AssertNear(dot, dw[j], scale, 1e-5, $"dw[{j}] (n {n})");
                if (dx[j] is null)
                {
                    continue;
                }
                for (int i = 0; i < n; i++)
                {
                    double expected = ((double)w[j] * dy[i]) + (accumulate ? before[j]![i] : 0);
                    AssertNear(expected, dx[j]![i], Math.Abs(expected) + 1, 1e-6, $"dx[{j}][{i}] (n {n})");
                }
            }
        }
    }

    [BackendFact]
    public void Rayleigh_quotient_and_one_step_match_the_scalar_update()
    {
        var rng = new Random(13);
        foreach (int d in new[] { 1, 17, 64, 300 })
        {
            const int batch = 3;
            float[] s = RandomSymmetric(rng, batch, d);
            float[] v = Random(rng, batch * d, -1, 1);
            const float eta = 0.05f;

            var lambda = new float[batch];
            RayleighQuotient(batch, d, s, v, lambda);
            float[] stepped = (float[])v.Clone();
            var stepLambda = new float[batch];
            RayleighStep(batch, d, s, stepped, eta, stepLambda, iterations: 1);

            for (int b = 0; b < batch; b++)
            {
                (double lam, double[] next) = ScalarStep(s.AsSpan(b * d * d, d * d), v.AsSpan(b * d, d), eta);
                double scale = Math.Sqrt(d) * 4;
                AssertNear(lam, lambda[b], scale, 1e-5, $"λ[{b}] (d {d})");
                AssertNear(lam, stepLambda[b], scale, 1e-5, $"step λ[{b}] (d {d})");
                for (int i = 0; i < d; i++)
                {
                    AssertNear(next[i], stepped[(b * d) + i], 1, 1e-4, $"v[{b},{i}] (d {d})");
                }
            }
        }
    }

    [BackendFact]
    public void Rayleigh_step_from_products_agrees_with_the_explicit_step()
    {
        var rng = new Random(14);
        const int batch = 4, d = 33;
        const float eta = 0.1f;
        float[] s = RandomSymmetric(rng, batch, d);
        float[] v = Random(rng, batch * d, -1, 1);
        var sv = new float[batch * d];
        for (int b = 0; b < batch; b++)
        for (int r = 0; r < d; r++)
        {
            double acc = 0;
            for (int c = 0; c < d; c++)
            {
                acc += (double)s[(b * d * d) + (r * d) + c] * v[(b * d) + c];
            }
            sv[(b * d) + r] = (float)acc;
        }
        float[] explicitV = (float[])v.Clone(), productV = (float[])v.Clone();
        float[] explicitL = new float[batch], productL = new float[batch];
        RayleighStep(batch, d, s, explicitV, eta, explicitL, iterations: 1);
        RayleighStepFromProducts(batch, d, productV, sv, eta, productL);
        for (int i = 0; i < batch * d; i++)
        {
            Assert.True(Math.Abs(explicitV[i] - productV[i]) <= 1e-5, $"v[{i}]: {explicitV[i]} vs {productV[i]}");
        }
        for (int b = 0; b < batch; b++)
        {
            Assert.True(Math.Abs(explicitL[b] - productL[b]) <= 1e-4 * (1 + Math.Abs(explicitL[b])), $"λ[{b}]");
        }
    }

    [BackendFact]
    public void Rayleigh_iterations_converge_to_the_smallest_eigenvalue_of_a_known_spectrum()
    {
        var rng = new Random(15);
        double[] spectrum = [-2, -0.5, 0, 0.3, 0.6, 1, 1.5, 2];
        int d = spectrum.Length;
        const int batch = 2;
        var s = new float[batch * d * d];
        for (int b = 0; b < batch; b++)
        {
            double[,] q = RandomOrthogonal(rng, d);
            for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++)
            {
                double acc = 0;
                for (int e = 0; e < d; e++)
                {
                    acc += q[r, e] * (spectrum[e] + b) * q[c, e];
                }
                s[(b * d * d) + (r * d) + c] = (float)acc;
            }
        }
        float[] v = Random(rng, batch * d, -1, 1);
        var lambda = new float[batch];
        RayleighStep(batch, d, s, v, 0.1f, lambda, iterations: 300);
        RayleighQuotient(batch, d, s, v, lambda);
        for (int b = 0; b < batch; b++)
        {
            Assert.True(Math.Abs(lambda[b] - (spectrum[0] + b)) < 1e-4,
                $"λ_min[{b}] = {lambda[b]}, want {spectrum[0] + b}");
            double norm = 0;
            for (int i = 0; i < d; i++)
            {
                norm += (double)v[(b * d) + i] * v[(b * d) + i];
            }
            Assert.True(Math.Abs(norm - 1) < 1e-5, $"|v[{b}]|² = {norm}");
        }
    }

    [BackendFact]
    public void Expected_cost_matches_the_softmax_expectation_and_its_gradient_matches_finite_differences()
    {
        var rng = new Random(16);
        const int edges = 14, ops = 8;
        float[] alpha = Random(rng, edges * ops, -1, 1);
        float[] table = Random(rng, edges * ops, 0.1f, 3);
        var p = new float[edges * ops];
        var dAlpha = new float[edges * ops];
        float cost = ExpectedCost(edges, ops, alpha, table, p, dAlpha);

        double expectedCost = ScalarExpectedCost(edges, ops, alpha.Select(a => (double)a).ToArray(), table);
        Assert.True(Math.Abs(cost - expectedCost) < 1e-5 * expectedCost, $"cost {cost} vs {expectedCost}");
        for (int e = 0; e < edges; e++)
        {
            double z = 0;
            for (int o = 0; o < ops; o++)
            {
                z += Math.Exp(alpha[(e * ops) + o]);
            }
            for (int o = 0; o < ops; o++)
            {
                double pe = Math.Exp(alpha[(e * ops) + o]) / z;
                Assert.True(Math.Abs(p[(e * ops) + o] - pe) < 1e-6, $"p[{e},{o}]");
            }
        }
        const double h = 1e-4;
        double[] at = alpha.Select(a => (double)a).ToArray();
        for (int i = 0; i < at.Length; i++)
        {
            double keep = at[i];
            at[i] = keep + h;
            double plus = ScalarExpectedCost(edges, ops, at, table);
            at[i] = keep - h;
            double minus = ScalarExpectedCost(edges, ops, at, table);
            at[i] = keep;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(dAlpha[i] - fd) < 1e-5, $"dα[{i / ops},{i % ops}] = {dAlpha[i]}, FD {fd}");
        }
    }

    [BackendFact]
    public void Expected_cost_rejects_a_non_finite_table_entry_naming_it()
    {
        const int edges = 3, ops = 4;
        float[] table = Enumerable.Repeat(1f, edges * ops).ToArray();
        table[(1 * ops) + 2] = float.PositiveInfinity;
        var ex = Assert.Throws<ArgumentException>(() =>
            ExpectedCost(edges, ops, new float[edges * ops], table, new float[edges * ops], new float[edges * ops]));
        Assert.Contains("e = 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("o = 2", ex.Message, StringComparison.Ordinal);
    }

    [BackendFact]
    public void Batch_lookup_sums_the_entries_each_architecture_names()
    {
        var rng = new Random(17);
        foreach (int population in new[] { 1, 17, 1025 })
        {
            const int slots = 20, entries = 97;
            float[] cost = Random(rng, entries, 0, 5);
            int[] index = Enumerable.Range(0, population * slots).Select(_ => rng.Next(entries)).ToArray();
            var totals = new float[population];
            BatchLookup(population, slots, index, cost, totals);
            for (int q = 0; q < population; q++)
            {
                double sum = 0;
                for (int s = 0; s < slots; s++)
                {
                    sum += cost[index[(q * slots) + s]];
                }
                AssertNear(sum, totals[q], sum, 1e-6, $"totals[{q}]");
            }
        }
    }

    [BackendFact]
    public void Batch_lookup_rejects_an_index_out_of_range_naming_member_and_slot()
    {
        const int population = 4, slots = 3;
        int[] index = new int[population * slots];
        index[(2 * slots) + 1] = 10;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            BatchLookup(population, slots, index, new float[10], new float[population]));
        Assert.Contains("p = 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("s = 1", ex.Message, StringComparison.Ordinal);
    }

    [BackendFact]
    public void Sgemm_matches_the_reference_for_every_transpose_and_odd_sizes()
    {
        var rng = new Random(18);
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (67, 45, 33), (130, 70, 129) })
        foreach (bool transA in new[] { false, true })
        foreach (bool transB in new[] { false, true })
        foreach (float beta in new[] { 0f, 0.5f })
        {
            // Padded row strides: the kernel must honour lda/ldb/ldc, not assume packed rows.
            int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
            float[] a = Random(rng, (transA ? k : m) * lda, -1, 1);
            float[] b = Random(rng, (transB ? n : k) * ldb, -1, 1);
            float[] c = Random(rng, m * ldc, -1, 1);
            if (beta == 0)
            {
                c[0] = float.NaN; // beta = 0 must ignore C, NaN included.
            }
            float[] expected = (float[])c.Clone();
            SgemmReference.Multiply(transA, transB, m, n, k, 1.5f, a, lda, b, ldb, beta, expected, ldc);
            Sgemm(transA, transB, m, n, k, 1.5f, a, lda, b, ldb, beta, c, ldc);
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                AssertNear(expected[(i * ldc) + j], c[(i * ldc) + j], 1.5 * k, 1e-6,
                    $"C[{i},{j}] ({m}x{n}x{k}, tA {transA}, tB {transB}, β {beta})");
            }
        }
    }

    [BackendFact]
    public void Relu_forward_and_backward_match_the_definition()
    {
        var rng = new Random(19);
        foreach (int n in Lengths)
        foreach (bool accumulate in new[] { false, true })
        {
            float[] x = Random(rng, n, -1, 1);
            x[0] = 0; // the boundary: ReLU'(0) is taken as 0.
            float[] dy = Random(rng, n, -1, 1);
            float[] dx = Random(rng, n, -1, 1);
            float[] before = (float[])dx.Clone();
            var y = new float[n];
            Relu(x, y);
            ReluBackward(x, dy, dx, accumulate);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(Math.Max(x[i], 0f), y[i]);
                float g = x[i] > 0 ? dy[i] : 0f;
                Assert.Equal(accumulate ? before[i] + g : g, dx[i]);
            }
        }
    }

    [BackendFact]
    public void Depthwise_convolution_forward_matches_the_reference()
    {
        var rng = new Random(20);
        Conv2dShape[] shapes =
        [
            new(2, 3, 7, 9, 3, 3, 3, PadH: 1, PadW: 1, Groups: 3),
            new(1, 5, 17, 13, 5, 5, 5, StrideH: 2, StrideW: 2, PadH: 2, PadW: 2, Groups: 5),
            new(2, 4, 16, 16, 4, 3, 3, PadH: 2, PadW: 2, DilationH: 2, DilationW: 2, Groups: 4),
        ];
        foreach (Conv2dShape s in shapes)
        foreach (bool withBias in new[] { false, true })
        {
            float[] x = Random(rng, s.InputLength, -1, 1);
            float[] w = Random(rng, s.WeightLength, -1, 1);
            float[]? bias = withBias ? Random(rng, s.OutChannels, -1, 1) : null;
            var expected = new float[s.OutputLength];
            Conv2dReference.Forward(s, x, w, bias, expected);
            var y = new float[s.OutputLength];
            DepthwiseForward(s, x, w, bias, y);
            for (int i = 0; i < y.Length; i++)
            {
                AssertNear(expected[i], y[i], s.KernelH * s.KernelW, 1e-6, $"y[{i}] ({s}, bias {withBias})");
            }
        }
    }

    protected static float[] Random(Random rng, int n, float lo, float hi)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = lo + ((hi - lo) * rng.NextSingle());
        }
        return a;
    }

    private static void AssertNear(double expected, float actual, double scale, double relative, string what)
    {
        double tolerance = relative * Math.Max(scale, 1e-30) + 1e-30;
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"{what}: got {actual}, expected {expected} (|diff| {Math.Abs(actual - expected):E3} > {tolerance:E3})");
    }

    protected static float[] RandomSymmetric(Random rng, int batch, int d)
    {
        var s = new float[batch * d * d];
        for (int b = 0; b < batch; b++)
        for (int r = 0; r < d; r++)
        for (int c = 0; c <= r; c++)
        {
            float value = (rng.NextSingle() * 2) - 1;
            s[(b * d * d) + (r * d) + c] = value;
            s[(b * d * d) + (c * d) + r] = value;
        }
        return s;
    }

    private static (double Lambda, double[] Next) ScalarStep(ReadOnlySpan<float> s, ReadOnlySpan<float> v, double eta)
    {
        int d = v.Length;
        var u = new double[d];
        double vu = 0, vv = 0;
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                u[r] += (double)s[(r * d) + c] * v[c];
            }
        }
        for (int i = 0; i < d; i++)
        {
            vu += v[i] * u[i];
            vv += (double)v[i] * v[i];
        }
        double lambda = vu / vv;
        var next = new double[d];
        double norm = 0;
        for (int i = 0; i < d; i++)
        {
            next[i] = v[i] - (eta * 2 * (u[i] - (lambda * v[i])) / vv);
            norm += next[i] * next[i];
        }
        for (int i = 0; i < d; i++)
        {
            next[i] /= Math.Sqrt(norm);
        }
        return (lambda, next);
    }

    private static double ScalarExpectedCost(int edges, int ops, double[] alpha, float[] table)
    {
        double total = 0;
        for (int e = 0; e < edges; e++)
        {
            double max = double.NegativeInfinity, z = 0, sum = 0;
            for (int o = 0; o < ops; o++)
            {
                max = Math.Max(max, alpha[(e * ops) + o]);
            }
            for (int o = 0; o < ops; o++)
            {
                double ex = Math.Exp(alpha[(e * ops) + o] - max);
                z += ex;
                sum += ex * table[(e * ops) + o];
            }
            total += sum / z;
        }
        return total;
    }

    /// <summary>Gram–Schmidt on a seeded Gaussian matrix: columns are an orthonormal basis.</summary>
    private static double[,] RandomOrthogonal(Random rng, int d)
    {
        var q = new double[d, d];
        for (int c = 0; c < d; c++)
        {
            var col = new double[d];
            for (int r = 0; r < d; r++)
            {
                col[r] = (rng.NextDouble() * 2) - 1;
            }
            for (int p = 0; p < c; p++)
            {
                double dot = 0;
                for (int r = 0; r < d; r++)
                {
                    dot += col[r] * q[r, p];
                }
                for (int r = 0; r < d; r++)
                {
                    col[r] -= dot * q[r, p];
                }
            }
            double norm = Math.Sqrt(col.Sum(x => x * x));
            for (int r = 0; r < d; r++)
            {
                q[r, c] = col[r] / norm;
            }
        }
        return q;
    }
}

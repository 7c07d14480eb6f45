namespace NasBench.Kernels.Reference;

/// <summary>Rayleigh-quotient oracle for a batch of symmetric matrices (neuron splitting, splitting.md §3), in double
/// over the full matrix.</summary>
/// <remarks>Shapes: <c>s</c> is [batch, d, d] row-major, <c>v</c> and <c>sv</c> are [batch, d], <c>lambda</c> is
/// [batch]; longer spans are allowed and their tails ignored. Each v must be non-zero (a zero v gives NaN).</remarks>
public static class RayleighQuotientReference
{
    /// <summary>λ_b = v_bᵀ S_b v_b / v_bᵀ v_b.</summary>
    public static void Quotient(int batch, int d, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> lambda)
    {
        RayleighQuotientValidation.Check(batch, d, s.Length, v.Length, lambda.Length, nameof(s));
        for (int b = 0; b < batch; b++)
        {
            var sb = s.Slice(b * d * d, d * d);
            var vb = v.Slice(b * d, d);
            double num = 0, den = 0;
            for (int i = 0; i < d; i++)
            {
                double row = 0;
                for (int j = 0; j < d; j++)
                {
                    row += (double)sb[(i * d) + j] * vb[j];
                }
                num += row * vb[i];
                den += (double)vb[i] * vb[i];
            }
            lambda[b] = (float)(num / den);
        }
    }

    /// <summary>One gradient step per matrix from an explicit S: u = S·v, λ = vᵀu/vᵀv, g = 2(u − λv)/vᵀv,
    /// v ← (v − η·g)/‖v − η·g‖; writes the λ of the pre-update v.</summary>
    public static void Step(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize, Span<float> lambda)
    {
        RayleighQuotientValidation.Check(batch, d, s.Length, v.Length, lambda.Length, nameof(s));
        var u = new double[d];
        for (int b = 0; b < batch; b++)
        {
            var sb = s.Slice(b * d * d, d * d);
            var vb = v.Slice(b * d, d);
            for (int i = 0; i < d; i++)
            {
                double row = 0;
                for (int j = 0; j < d; j++)
                {
                    row += (double)sb[(i * d) + j] * vb[j];
                }
                u[i] = row;
            }
            lambda[b] = (float)Update(vb, u, stepSize);
        }
    }

    /// <summary>The same step when the products S·v come from back-propagation (splitting.md §3.2).</summary>
    public static void StepFromProducts(int batch, int d, Span<float> v, ReadOnlySpan<float> sv, float stepSize,
        Span<float> lambda)
    {
        RayleighQuotientValidation.Check(batch, d, (long)batch * d * d, v.Length, lambda.Length, nameof(sv));
        if (sv.Length < (long)batch * d)
        {
            throw new ArgumentException($"sv holds {sv.Length} floats, fewer than batch·d = {(long)batch * d}.",
                nameof(sv));
        }
        var u = new double[d];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < d; i++)
            {
                u[i] = sv[(b * d) + i];
            }
            lambda[b] = (float)Update(v.Slice(b * d, d), u, stepSize);
        }
    }

    /// <summary><paramref name="iterations"/> steps, then λ of the final v (a frozen-v estimate, splitting.md §3.4).
    /// </summary>
    public static void Iterate(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize, int iterations,
        Span<float> lambda)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        for (int t = 0; t < iterations; t++)
        {
            Step(batch, d, s, v, stepSize, lambda);
        }
        Quotient(batch, d, s, v, lambda);
    }

    private static double Update(Span<float> v, double[] u, float stepSize)
    {
        double vv = 0, vu = 0;
        for (int i = 0; i < v.Length; i++)
        {
            vv += (double)v[i] * v[i];
            vu += v[i] * u[i];
        }
        double lambda = vu / vv;
        double scale = 2.0 * stepSize / vv;
        double norm = 0;
        Span<double> next = v.Length <= 4096 ? stackalloc double[v.Length] : new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            next[i] = v[i] - (scale * (u[i] - (lambda * v[i])));
            norm += next[i] * next[i];
        }
        double inv = 1.0 / Math.Sqrt(norm);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(next[i] * inv);
        }
        return lambda;
    }
}

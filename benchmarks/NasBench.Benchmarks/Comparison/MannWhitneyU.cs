namespace NasBench.Benchmarks.Comparison;

/// <summary>The two-sided Mann–Whitney U (Wilcoxon rank-sum) test: does one sample tend to be larger than the other?
/// </summary>
/// <remarks>
/// Rank-based, so it makes no normality assumption — benchmark timings are skewed and often multimodal. With ranks r
/// of the pooled sample (ties get the mean of their ranks), U₁ = R₁ − n₁(n₁+1)/2, μ = n₁n₂/2 and
/// σ² = n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))) where t runs over the sizes of tied groups; then
/// z = (max(U₁, n₁n₂−U₁) − μ − ½)/σ and p = min(1, 2·P(Z &gt; z)). This is SciPy's <c>mannwhitneyu</c> with
/// <c>method="asymptotic"</c> and <c>use_continuity=True</c>; with the few iterations of a short job the
/// approximation is conservative, and it can never reach significance on one or two samples per side.
/// </remarks>
public static class MannWhitneyU
{
    public static MannWhitneyResult Test(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n1 = x.Length;
        int n2 = y.Length;
        if (n1 == 0 || n2 == 0)
        {
            return new MannWhitneyResult(0, 0, 1);
        }
        foreach (double v in x)
        {
            ThrowIfNaN(v);
        }
        foreach (double v in y)
        {
            ThrowIfNaN(v);
        }

        // Pool the samples, remembering which side each value came from, and rank them.
        int n = n1 + n2;
        var pooled = new (double Value, bool FromX)[n];
        for (int i = 0; i < n1; i++)
        {
            pooled[i] = (x[i], true);
        }
        for (int i = 0; i < n2; i++)
        {
            pooled[n1 + i] = (y[i], false);
        }
        Array.Sort(pooled, (a, b) => a.Value.CompareTo(b.Value));

        double rankSumX = 0;
        double tieTerm = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && pooled[end + 1].Value == pooled[start].Value)
            {
                end++;
            }
            // Ranks are 1-based; a tied group shares the mean of the ranks it spans.
            double rank = (start + end) / 2.0 + 1.0;
            double groupSize = end - start + 1;
            tieTerm += groupSize * groupSize * groupSize - groupSize;
            for (int k = start; k <= end; k++)
            {
                if (pooled[k].FromX)
                {
                    rankSumX += rank;
                }
            }
            start = end + 1;
        }

        double u1 = rankSumX - n1 * (n1 + 1.0) / 2.0;
        double product = (double)n1 * n2;
        double mean = product / 2.0;
        double variance = product / 12.0 * (n + 1.0 - tieTerm / ((double)n * (n - 1.0)));
        if (n < 2 || variance <= 0)
        {
            return new MannWhitneyResult(u1, 0, 1);
        }
        double z = (Math.Max(u1, product - u1) - mean - 0.5) / Math.Sqrt(variance);
        double p = Math.Min(1.0, 2.0 * StandardNormal.UpperTail(z));
        return new MannWhitneyResult(u1, z, p);
    }

    private static void ThrowIfNaN(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("Samples must not contain NaN.");
        }
    }
}

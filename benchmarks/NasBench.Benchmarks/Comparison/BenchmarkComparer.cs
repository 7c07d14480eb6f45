namespace NasBench.Benchmarks.Comparison;

/// <summary>Matches two runs' benchmarks by full name and decides, for each, slower / faster / same.</summary>
/// <remarks>
/// A benchmark is <see cref="ComparisonVerdict.Slower"/> only when all three hold, so a noisy shared machine does not
/// cry wolf: (1) the Mann–Whitney test rejects "same distribution" at <see cref="ComparisonSettings.Alpha"/>;
/// (2) the median ratio diff/base exceeds 1 + threshold; (3) the medians differ by at least the absolute noise floor.
/// <see cref="ComparisonVerdict.Faster"/> mirrors it with base/diff &gt; 1 + threshold, so a 5 % threshold treats
/// "5 % slower" and "5 % faster" symmetrically in ratio terms.
/// </remarks>
public static class BenchmarkComparer
{
    public static ComparisonResult Compare(
        string basePath,
        IReadOnlyList<BenchmarkSample> baseline,
        string diffPath,
        IReadOnlyList<BenchmarkSample> diff,
        ComparisonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(settings);
        var diffByName = new Dictionary<string, BenchmarkSample>(StringComparer.Ordinal);
        foreach (var sample in diff)
        {
            diffByName.TryAdd(sample.FullName, sample);
        }
        var baseNames = new HashSet<string>(baseline.Select(b => b.FullName), StringComparer.Ordinal);

        var comparisons = new List<BenchmarkComparison>();
        var onlyInBase = new List<string>();
        foreach (var b in baseline)
        {
            if (diffByName.TryGetValue(b.FullName, out var d))
            {
                comparisons.Add(Compare(b, d, settings));
            }
            else
            {
                onlyInBase.Add(b.FullName);
            }
        }
        var onlyInDiff = diff.Select(d => d.FullName).Where(name => !baseNames.Contains(name)).ToList();
        return new ComparisonResult(basePath, diffPath, settings, comparisons, onlyInBase, onlyInDiff);
    }

    public static BenchmarkComparison Compare(BenchmarkSample baseline, BenchmarkSample diff, ComparisonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(settings);
        double baseMedian = baseline.Median;
        double diffMedian = diff.Median;
        var test = MannWhitneyU.Test(
            baseline.NanosecondsPerOperation.ToArray(), diff.NanosecondsPerOperation.ToArray());
        double? ratio = baseMedian > 0 ? diffMedian / baseMedian : null;

        var verdict = ComparisonVerdict.Same;
        bool significant = test.PValue < settings.Alpha;
        bool aboveNoise = Math.Abs(diffMedian - baseMedian) >= settings.NoiseNanoseconds;
        if (significant && aboveNoise)
        {
            double limit = 1.0 + settings.Threshold;
            if (diffMedian > baseMedian * limit)
            {
                verdict = ComparisonVerdict.Slower;
            }
            else if (baseMedian > diffMedian * limit)
            {
                verdict = ComparisonVerdict.Faster;
            }
        }
        return new BenchmarkComparison(
            baseline.FullName,
            baseMedian,
            diffMedian,
            ratio,
            test.PValue,
            baseline.NanosecondsPerOperation.Count,
            diff.NanosecondsPerOperation.Count,
            verdict);
    }
}

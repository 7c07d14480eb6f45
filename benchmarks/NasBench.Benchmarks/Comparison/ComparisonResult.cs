namespace NasBench.Benchmarks.Comparison;

/// <summary>Everything one comparison found; serialised as <c>comparison.json</c>.</summary>
/// <param name="Base">The base file or folder, as given.</param>
/// <param name="Diff">The diff file or folder, as given.</param>
/// <param name="Settings">Threshold, noise floor and significance level used.</param>
/// <param name="Benchmarks">Benchmarks present in both runs, in base order.</param>
/// <param name="OnlyInBase">Benchmarks the diff run lacks (removed, renamed or failed).</param>
/// <param name="OnlyInDiff">Benchmarks new in the diff run.</param>
public sealed record ComparisonResult(
    string Base,
    string Diff,
    ComparisonSettings Settings,
    IReadOnlyList<BenchmarkComparison> Benchmarks,
    IReadOnlyList<string> OnlyInBase,
    IReadOnlyList<string> OnlyInDiff)
{
    public IEnumerable<BenchmarkComparison> Slower =>
        Benchmarks.Where(b => b.Verdict == ComparisonVerdict.Slower).OrderByDescending(b => b.Ratio ?? double.MaxValue);

    public IEnumerable<BenchmarkComparison> Faster =>
        Benchmarks.Where(b => b.Verdict == ComparisonVerdict.Faster).OrderBy(b => b.Ratio);

    /// <summary>Any significant slowdown beyond the threshold: the comparer exits 2.</summary>
    public bool HasRegression => Benchmarks.Any(b => b.Verdict == ComparisonVerdict.Slower);
}

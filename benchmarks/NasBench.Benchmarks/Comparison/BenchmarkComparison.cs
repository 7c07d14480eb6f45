namespace NasBench.Benchmarks.Comparison;

/// <summary>One benchmark measured in both runs and the comparer's verdict on it.</summary>
/// <param name="FullName">The benchmark's BenchmarkDotNet full name.</param>
/// <param name="BaseMedianNanoseconds">Median time per operation in the base run.</param>
/// <param name="DiffMedianNanoseconds">Median time per operation in the diff run.</param>
/// <param name="Ratio">diff / base of the medians (&gt; 1 is slower); null when the base median is 0.</param>
/// <param name="PValue">Two-sided Mann–Whitney p-value of the two sets of iterations.</param>
/// <param name="BaseCount">Iterations measured in the base run.</param>
/// <param name="DiffCount">Iterations measured in the diff run.</param>
/// <param name="Verdict">Slower / Faster / Same.</param>
public sealed record BenchmarkComparison(
    string FullName,
    double BaseMedianNanoseconds,
    double DiffMedianNanoseconds,
    double? Ratio,
    double PValue,
    int BaseCount,
    int DiffCount,
    ComparisonVerdict Verdict);

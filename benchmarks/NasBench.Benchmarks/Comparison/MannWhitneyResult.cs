namespace NasBench.Benchmarks.Comparison;

/// <summary>The outcome of a two-sided Mann–Whitney U test of sample x against sample y.</summary>
/// <param name="U">U statistic of the first sample: the number of (x, y) pairs with x &gt; y, ties counting ½.</param>
/// <param name="Z">The continuity-corrected normal deviate of max(U, n₁n₂ − U); 0 when the test is undefined.</param>
/// <param name="PValue">Two-sided p-value under the normal approximation; 1 when the test is undefined (an empty
/// sample, or every value tied).</param>
public readonly record struct MannWhitneyResult(double U, double Z, double PValue);

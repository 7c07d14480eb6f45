namespace NasBench.Benchmarks.Comparison;

/// <summary>What the comparer concluded about one benchmark.</summary>
public enum ComparisonVerdict
{
    /// <summary>No significant change beyond the threshold and the noise floor.</summary>
    Same,

    /// <summary>Diff is significantly slower by more than the threshold: a regression.</summary>
    Slower,

    /// <summary>Diff is significantly faster by more than the threshold.</summary>
    Faster,
}

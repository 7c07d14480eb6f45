namespace NasBench.Benchmarks.Comparison;

/// <summary>Order statistics the comparer reports.</summary>
public static class Statistics
{
    /// <summary>The median (mean of the two middle values for an even count); NaN for an empty list.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}

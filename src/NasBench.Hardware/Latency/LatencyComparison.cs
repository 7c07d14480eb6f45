namespace NasBench.Hardware.Latency;

/// <summary>Two targets compared op by op on the entries both tables hold: ratio B/A per operation, the geometric mean
/// of the ratios, and the operations whose ratio departs most from it.</summary>
/// <param name="Rows">One row per shared key, in table A's order.</param>
/// <param name="GeometricMeanRatio">exp(mean(log(B/A))): how much slower B is than A "on average" for this op mix.
/// </param>
/// <param name="OnlyInA">Keys only in table A.</param>
/// <param name="OnlyInB">Keys only in table B.</param>
public sealed record LatencyComparison(
    LatencyTable A,
    LatencyTable B,
    IReadOnlyList<LatencyComparisonRow> Rows,
    double GeometricMeanRatio,
    IReadOnlyList<string> OnlyInA,
    IReadOnlyList<string> OnlyInB)
{
    /// <exception cref="ArgumentException">The tables share no entry.</exception>
    public static LatencyComparison Compare(LatencyTable a, LatencyTable b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var rows = new List<LatencyComparisonRow>();
        var onlyA = new List<string>();
        foreach (var ea in a.Entries)
        {
            if (b.TryGet(ea.Operation, out var eb))
            {
                rows.Add(new LatencyComparisonRow(ea.Operation, ea.MedianMs, eb.MedianMs));
            }
            else
            {
                onlyA.Add(ea.Key);
            }
        }
        var onlyB = b.Entries.Where(e => !a.Contains(e.Operation)).Select(e => e.Key).ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException(
                $"{a.SourceName} and {b.SourceName} share no operation configuration; profile both for the same "
                + "space, network shape and batch.");
        }
        double geomean = Math.Exp(rows.Average(r => Math.Log(r.Ratio)));
        return new LatencyComparison(a, b, rows, geomean, onlyA, onlyB);
    }

    /// <summary>The <paramref name="count"/> rows whose ratio differs most from the geometric mean (|log(ratio /
    /// geomean)| descending): the operations that rank differently on the two targets.</summary>
    public IReadOnlyList<LatencyComparisonRow> MostDifferent(int count) =>
        [.. Rows.OrderByDescending(r => Math.Abs(Math.Log(r.Ratio / GeometricMeanRatio))).Take(count)];

    /// <summary>Geometric mean of B/A per operation type (over every configuration of that op).</summary>
    public IReadOnlyList<(string Operation, int Count, double GeometricMeanRatio)> ByOperation() =>
        [.. Rows.GroupBy(r => r.Operation.Operation)
            .Select(g => (g.Key, g.Count(), Math.Exp(g.Average(r => Math.Log(r.Ratio)))))
            .OrderBy(t => t.Key, StringComparer.Ordinal)];
}

/// <summary>One operation measured on both targets.</summary>
public sealed record LatencyComparisonRow(OperationConfig Operation, double MedianMsA, double MedianMsB)
{
    /// <summary>B / A.</summary>
    public double Ratio => MedianMsB / MedianMsA;
}

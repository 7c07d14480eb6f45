namespace NasBench.Hardware.Latency;

/// <summary>Combines tables of the same target profiled in several rounds (minutes apart) into one, entry by entry.
/// </summary>
/// <remarks>On a shared machine an operation profiled during a busy spell comes out tens of percent slow although its
/// own samples agree closely (the spell lasts longer than one measurement). The median over three or more rounds
/// drops such a round; the entry's spread (IQR) is the median of the rounds' spreads, its sample count their sum.
/// </remarks>
public static class LatencyTableRounds
{
    /// <exception cref="ArgumentException">No tables.</exception>
    /// <exception cref="LatencyTableFormatException">Tables of different targets, or an entry of the first table
    /// missing from another (the message names that table and the key).</exception>
    public static LatencyTable Median(IReadOnlyList<LatencyTable> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 0)
        {
            throw new ArgumentException("Need at least one table to combine.", nameof(rounds));
        }
        var first = rounds[0];
        foreach (var table in rounds.Skip(1))
        {
            table.EnsureFingerprint(first.Fingerprint);
        }
        var entries = new List<LatencyEntry>(first.Entries.Count);
        foreach (var entry in first.Entries)
        {
            var medians = new double[rounds.Count];
            var iqrs = new double[rounds.Count];
            int samples = 0;
            for (int r = 0; r < rounds.Count; r++)
            {
                if (!rounds[r].TryGet(entry.Operation, out var e))
                {
                    throw new LatencyTableFormatException(
                        $"{rounds[r].Source ?? $"round {r + 1}"}: missing entry '{entry.Key}' (present in round 1).");
                }
                medians[r] = e.MedianMs;
                iqrs[r] = e.IqrMs;
                samples += e.Samples;
            }
            entries.Add(new LatencyEntry(entry.Operation, MedianOf(medians), MedianOf(iqrs), samples));
        }
        return new LatencyTable(first.Fingerprint, first.Space, entries);
    }

    /// <summary>Median of a few values (the mean of the middle two for an even count).</summary>
    public static double MedianOf(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("Median of no values.", nameof(values));
        }
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}

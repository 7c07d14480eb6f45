namespace NasBench.Kernels.Reference;

/// <summary>Checks and exceptions shared by the latency-lookup reference and the fast kernel.</summary>
internal static class LatencyLookupValidation
{
    public static void ExpectedCost(int edges, int ops, int alphaLength, ReadOnlySpan<float> table,
        int probabilitiesLength, int dAlphaLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edges);
        ArgumentOutOfRangeException.ThrowIfNegative(ops);
        long n = (long)edges * ops;
        if (alphaLength < n || table.Length < n || probabilitiesLength < n || dAlphaLength < n)
        {
            throw new ArgumentException(
                $"Expected cost over {edges}×{ops} needs {n} floats in alpha ({alphaLength}), table ({table.Length}), " +
                $"probabilities ({probabilitiesLength}) and dAlpha ({dAlphaLength}).");
        }
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(table[i]))
            {
                throw new ArgumentException(
                    $"Latency table entry (edge {i / ops}, op {i % ops}) is {table[i]}; entries must be finite " +
                    "(mark an impossible op with a large finite cost or drop it from the space).", nameof(table));
            }
        }
    }

    public static void BatchLookup(int population, int slots, int indexLength, int totalsLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(population);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        long n = (long)population * slots;
        if (indexLength < n || totalsLength < population)
        {
            throw new ArgumentException(
                $"Batch lookup over {population}×{slots} needs {n} indices ({indexLength}) and {population} totals " +
                $"({totalsLength}).");
        }
    }

    public static ArgumentOutOfRangeException IndexOutOfRange(int p, int s, int index, int count,
        string paramName) =>
        new(paramName, index,
            $"Entry index at (architecture {p}, slot {s}) is {index}; the cost table has {count} entries.");
}

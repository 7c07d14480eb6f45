namespace NasBench.Search.Darts.Hardware;

/// <summary>The architecture encoding a learned latency predictor reads (LA-DARTS's e(a), darts.md §3.1): for each
/// cell type and each of the 14 possible edges, a one-hot over the 8 operations (all zero when the edge is not kept).
/// 2 × 14 × 8 = 224 values.</summary>
public static class GenotypeEncoding
{
    public const int Length = 2 * DartsNetworkLayout.EdgesPerCell * 8;

    public static float[] Encode(Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        if (genotype.Steps != 4)
        {
            throw new ArgumentException($"The encoding has 4 intermediate nodes; the genotype has {genotype.Steps}.",
                nameof(genotype));
        }
        var x = new float[Length];
        Fill(genotype.Normal, x.AsSpan(0, Length / 2));
        Fill(genotype.Reduce, x.AsSpan(Length / 2));
        return x;
    }

    private static void Fill(IReadOnlyList<GenotypeEdge> edges, Span<float> target)
    {
        for (int k = 0; k < edges.Count; k++)
        {
            int edge = DartsNetworkLayout.EdgeIndex(k / 2, edges[k].Input);
            target[(edge * 8) + DartsOperations.IndexOf(edges[k].Operation)] += 1f;
        }
    }
}

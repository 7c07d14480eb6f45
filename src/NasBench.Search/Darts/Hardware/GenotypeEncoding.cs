namespace NasBench.Search.Darts.Hardware;

/// <summary>The architecture encodings a learned latency predictor reads (LA-DARTS's e(a), darts.md §3.1).</summary>
/// <remarks>
/// Per cell type (normal, then reduce):
/// <list type="bullet">
/// <item>counts (<see cref="Encode"/>, the default): how often each of the 8 operations is kept on an edge that reads a
/// cell input (stride 2 in a reduction cell) and on an edge that reads an intermediate node: 2 × 2 × 8 = 32 values;
/// </item>
/// <item>one-hot (<see cref="EncodeFull"/> appends it): the operation on each of the 14 possible edges, all zero when
/// the edge is not kept: 2 × 14 × 8 = 224 more values.</item>
/// </list>
/// The counts carry what is shared across edges (a sep_conv_5x5 costs about the same on any edge of the same kind).
/// With the few hundred measured networks a CPU study affords, an MLP on the one-hot part memorises its training set
/// (on a known synthetic function: 100 % within ±10 % on training, about 84 % on held-out networks, against 99 % from
/// the counts), so the counts are the default.
/// </remarks>
public static class GenotypeEncoding
{
    private const int Ops = 8;

    public const int Length = 2 * 2 * Ops;

    public const int FullLength = Length + (2 * DartsNetworkLayout.EdgesPerCell * Ops);

    /// <summary>The 32 operation counts.</summary>
    /// <exception cref="ArgumentException">The genotype has other than 4 intermediate nodes.</exception>
    public static float[] Encode(Genotype genotype) => Build(genotype, oneHot: false);

    /// <summary>The 32 counts followed by the 224-value per-edge one-hot.</summary>
    public static float[] EncodeFull(Genotype genotype) => Build(genotype, oneHot: true);

    private static float[] Build(Genotype genotype, bool oneHot)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        if (genotype.Steps != 4)
        {
            throw new ArgumentException($"The encoding has 4 intermediate nodes; the genotype has {genotype.Steps}.",
                nameof(genotype));
        }
        var x = new float[oneHot ? FullLength : Length];
        int half = (FullLength - Length) / 2;
        Fill(genotype.Normal, x.AsSpan(0, 2 * Ops), oneHot ? x.AsSpan(Length, half) : default);
        Fill(genotype.Reduce, x.AsSpan(2 * Ops, 2 * Ops), oneHot ? x.AsSpan(Length + half, half) : default);
        return x;
    }

    private static void Fill(IReadOnlyList<GenotypeEdge> edges, Span<float> counts, Span<float> oneHot)
    {
        for (int k = 0; k < edges.Count; k++)
        {
            int op = DartsOperations.IndexOf(edges[k].Operation);
            counts[((edges[k].Input < 2 ? 0 : 1) * Ops) + op] += 1f;
            if (!oneHot.IsEmpty)
            {
                oneHot[(DartsNetworkLayout.EdgeIndex(k / 2, edges[k].Input) * Ops) + op] += 1f;
            }
        }
    }
}

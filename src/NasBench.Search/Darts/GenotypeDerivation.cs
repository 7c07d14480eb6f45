namespace NasBench.Search.Darts;

/// <summary>Discretises architecture weights α into a genotype, as DARTS does (darts.md §1.7).</summary>
/// <remarks>For each intermediate node, softmax over all ops (none included) per incoming edge; an edge's strength
/// is its largest non-<c>none</c> probability; keep the two strongest edges (ties to the lower source index) and on
/// each the strongest non-<c>none</c> op (ties to the lower op index). Concat = every intermediate node.</remarks>
public static class GenotypeDerivation
{
    /// <param name="alphaNormal">Row-major [edges, ops] logits of the normal cell; edges ordered node by node
    /// (node 2 ← 0, 1; node 3 ← 0, 1, 2; …).</param>
    /// <param name="alphaReduce">Same for the reduction cell.</param>
    /// <param name="steps">Intermediate nodes per cell (4 in DARTS, so 14 edges).</param>
    public static Genotype Derive(ReadOnlySpan<float> alphaNormal, ReadOnlySpan<float> alphaReduce, int steps = 4)
    {
        int ops = DartsOperations.Count;
        int edges = EdgeCount(steps);
        if (alphaNormal.Length != edges * ops || alphaReduce.Length != edges * ops)
        {
            throw new ArgumentException(
                $"α must be [{edges}, {ops}] = {edges * ops} values per cell for {steps} steps; got "
                + $"{alphaNormal.Length} (normal) and {alphaReduce.Length} (reduce).");
        }
        var concat = Enumerable.Range(2, steps).ToArray();
        return new Genotype(Cell(alphaNormal, steps), concat, Cell(alphaReduce, steps), concat);
    }

    /// <summary>Edges of a cell with <paramref name="steps"/> intermediate nodes: 2 + 3 + … + (steps + 1).</summary>
    public static int EdgeCount(int steps) => (steps * (steps + 3)) / 2;

    private static List<GenotypeEdge> Cell(ReadOnlySpan<float> alpha, int steps)
    {
        int ops = DartsOperations.Count;
        int noneIndex = DartsOperations.IndexOf(DartsOperations.None);
        var kept = new List<GenotypeEdge>(2 * steps);
        Span<float> p = stackalloc float[ops];
        var candidates = new List<(int Source, int Op, float Strength)>();
        int offset = 0;
        for (int node = 0; node < steps; node++)
        {
            int inputs = node + 2;
            candidates.Clear();
            for (int j = 0; j < inputs; j++)
            {
                Softmax(alpha.Slice((offset + j) * ops, ops), p);
                int best = -1;
                for (int o = 0; o < ops; o++)
                {
                    if (o != noneIndex && (best < 0 || p[o] > p[best]))
                    {
                        best = o;
                    }
                }
                candidates.Add((j, best, p[best]));
            }
            // Stable: equal strengths keep source order, as Python's sorted() does in the reference code.
            foreach (var c in candidates.OrderByDescending(c => c.Strength).Take(2))
            {
                kept.Add(new GenotypeEdge(DartsOperations.All[c.Op], c.Source));
            }
            offset += inputs;
        }
        return kept;
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> p)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }
        for (int i = 0; i < logits.Length; i++)
        {
            p[i] = (float)(Math.Exp(logits[i] - max) / sum);
        }
    }
}

using NasBench.Tensors;

namespace NasBench.Search.Darts.Hardware;

/// <summary>Uniform random DARTS genotypes (the random-search baseline's sampler): per intermediate node two distinct
/// inputs among the earlier nodes and, per kept edge, one of the seven operations other than <c>none</c>; concat =
/// all four nodes.</summary>
public static class RandomGenotypeSampler
{
    private static readonly string[] Candidates =
        [.. DartsOperations.All.Where(o => o != DartsOperations.None)];

    public static Genotype Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new Genotype(Cell(generator), [2, 3, 4, 5], Cell(generator), [2, 3, 4, 5]);
    }

    /// <summary><paramref name="count"/> genotypes from one seed (duplicates are possible, as in uniform sampling).
    /// </summary>
    public static IReadOnlyList<Genotype> Sample(int count, ulong seed)
    {
        var g = new Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Sample(g))];
    }

    private static List<GenotypeEdge> Cell(Generator g)
    {
        var edges = new List<GenotypeEdge>(8);
        for (int node = 0; node < 4; node++)
        {
            int inputs = node + 2;
            int a = g.NextInt(inputs);
            int b = g.NextInt(inputs - 1);
            if (b >= a)
            {
                b++;
            }
            edges.Add(new GenotypeEdge(Candidates[g.NextInt(Candidates.Length)], Math.Min(a, b)));
            edges.Add(new GenotypeEdge(Candidates[g.NextInt(Candidates.Length)], Math.Max(a, b)));
        }
        return edges;
    }
}

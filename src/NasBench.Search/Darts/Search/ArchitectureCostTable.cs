using NasBench.Hardware.Cost;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Supernet;

namespace NasBench.Search.Darts.Search;

/// <summary>The cost of choosing operation o on edge e, summed over every cell that shares one α: one [edges, ops]
/// table for normal cells and one for reduction cells.</summary>
/// <remarks>Because all cells of a type share α, the expected cost of the network under softmax(α) is
/// <c>Σ_type Σ_e Σ_o p_type[e,o] · T_type[e,o]</c> with <c>T_type[e,o] = Σ_{cells of type} cost(cell, e, o)</c>.
/// Only the searchable part is costed: stem, pre-processing and classifier do not depend on α.</remarks>
public sealed class ArchitectureCostTable
{
    private ArchitectureCostTable(float[] normal, float[] reduce, int edges, string name, string unit)
    {
        Normal = normal;
        Reduce = reduce;
        Edges = edges;
        ModelName = name;
        Unit = unit;
    }

    /// <summary>[edges, ops] row-major, normal cells.</summary>
    public float[] Normal { get; }

    /// <summary>[edges, ops] row-major, reduction cells.</summary>
    public float[] Reduce { get; }

    public int Edges { get; }

    public static int Operations => DartsOperations.Count;

    public string ModelName { get; }

    public string Unit { get; }

    /// <summary>Builds the tables by asking <paramref name="model"/> for every (cell, edge, op).</summary>
    /// <param name="batch">Batch size written into each operation configuration (latency tables are per batch).</param>
    public static ArchitectureCostTable Build(SupernetConfig config, ICostModel model, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        int edges = GenotypeDerivation.EdgeCount(config.Steps), ops = DartsOperations.Count;
        var normal = new float[edges * ops];
        var reduce = new float[edges * ops];
        // The layout is the one the latency profiler enumerates, so a table entry exists for every key asked here.
        var layout = DartsNetworkLayout.ForSupernet(config, batch);
        foreach (var cell in layout.Cells)
        {
            var table = cell.Reduction ? reduce : normal;
            for (int e = 0; e < edges; e++)
            {
                for (int o = 0; o < ops; o++)
                {
                    var op = layout.EdgeOperation(cell, e, DartsOperations.All[o]);
                    double cost = model.Cost(op);
                    if (!(cost >= 0) || double.IsInfinity(cost))
                    {
                        throw new InvalidOperationException(
                            $"Cost model '{model.Name}' returned {cost} for {op.Key}; costs must be finite and ≥ 0.");
                    }
                    table[(e * ops) + o] += (float)cost;
                }
            }
        }
        return new ArchitectureCostTable(normal, reduce, edges, model.Name, model.Unit);
    }

    /// <summary>The cost of a discrete genotype under the same tables (what derivation would pay).</summary>
    public double CostOf(Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        return Sum(genotype.Normal, Normal) + Sum(genotype.Reduce, Reduce);
    }

    /// <summary>The most expensive choice on every edge: the scale that makes a normalised cost lie in [0, 1].</summary>
    public double MaximumCost()
    {
        double total = 0;
        foreach (var table in new[] { Normal, Reduce })
        {
            for (int e = 0; e < Edges; e++)
            {
                total += table.AsSpan(e * Operations, Operations).ToArray().Max();
            }
        }
        return total;
    }

    private static double Sum(IReadOnlyList<GenotypeEdge> edges, float[] table)
    {
        double total = 0;
        for (int k = 0; k < edges.Count; k++)
        {
            int e = DartsNetworkLayout.EdgeIndex(k / 2, edges[k].Input);
            total += table[(e * Operations) + DartsOperations.IndexOf(edges[k].Operation)];
        }
        return total;
    }
}

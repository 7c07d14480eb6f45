using NasBench.Hardware;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;

namespace NasBench.Search.Darts.Hardware;

/// <summary>A latency table bound to a DARTS network shape: lookup-sum estimates of genotypes, the batched population
/// lookup, and the differentiable expected latency of the supernet's α for hardware-aware search.</summary>
public sealed class DartsLatencyModel
{
    private readonly Dictionary<string, int> _entryIndex = new(StringComparer.Ordinal);
    private readonly float[] _entryMs;

    /// <exception cref="LatencyTableFormatException">The table lacks a configuration this shape uses (the message
    /// names the table file and the entry).</exception>
    public DartsLatencyModel(LatencyTable table, DartsNetworkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(layout);
        Table = table;
        Layout = layout;
        var space = layout.SpaceOperations();
        table.EnsureCovers(space);
        _entryMs = new float[space.Count];
        for (int i = 0; i < space.Count; i++)
        {
            _entryIndex[space[i].Key] = i;
            _entryMs[i] = (float)table.LatencyMs(space[i]);
        }
        FixedMs = layout.FixedOperations().Sum(table.LatencyMs);
    }

    public LatencyTable Table { get; }

    public DartsNetworkLayout Layout { get; }

    /// <summary>Latency of the genotype-independent parts (stem, pre-processing, sums, concats, classifier), ms.
    /// </summary>
    public double FixedMs { get; }

    /// <summary>Chosen edge operations per genotype: 8 per cell.</summary>
    public int Slots => Layout.Cells.Count * 8;

    /// <summary>Lookup-table estimate of the whole evaluation network of <paramref name="genotype"/>, ms.</summary>
    public double EstimateMs(Genotype genotype) => new LookupTableEstimator(Table).EstimateMs(
        Layout.GenotypeOperations(genotype));

    /// <summary>The table's latency of the genotype's cell edges summed per candidate operation type (ms, in
    /// <see cref="DartsOperations.All"/> order); the fixed parts are not included.</summary>
    public double[] SumByCandidate(Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        var sums = new double[DartsOperations.Count];
        foreach (var cell in Layout.Cells)
        {
            var edges = cell.Reduction ? genotype.Reduce : genotype.Normal;
            for (int k = 0; k < edges.Count; k++)
            {
                var op = Layout.EdgeOperation(cell, DartsNetworkLayout.EdgeIndex(k / 2, edges[k].Input),
                    edges[k].Operation);
                sums[DartsOperations.IndexOf(edges[k].Operation)] += Table.LatencyMs(op);
            }
        }
        return sums;
    }

    /// <summary>Writes the <see cref="Slots"/> entry indices of <paramref name="genotype"/> into
    /// <paramref name="target"/>.</summary>
    public void Encode(Genotype genotype, Span<int> target)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        int s = 0;
        foreach (var cell in Layout.Cells)
        {
            var edges = cell.Reduction ? genotype.Reduce : genotype.Normal;
            for (int k = 0; k < edges.Count; k++)
            {
                var op = Layout.EdgeOperation(cell, DartsNetworkLayout.EdgeIndex(k / 2, edges[k].Input),
                    edges[k].Operation);
                target[s++] = _entryIndex[op.Key];
            }
        }
    }

    /// <summary>Lookup estimates of a whole population at once through the batched gather kernel, ms.</summary>
    public float[] EstimatePopulationMs(IReadOnlyList<Genotype> genotypes)
    {
        ArgumentNullException.ThrowIfNull(genotypes);
        var index = new int[genotypes.Count * Slots];
        for (int p = 0; p < genotypes.Count; p++)
        {
            Encode(genotypes[p], index.AsSpan(p * Slots, Slots));
        }
        var totals = new float[genotypes.Count];
        new PopulationLatency(_entryMs, Slots).Evaluate(index, totals);
        for (int p = 0; p < totals.Length; p++)
        {
            totals[p] += (float)FixedMs;
        }
        return totals;
    }

    /// <summary>The expected latency E[LAT](α_normal, α_reduce) of the derived network, for the α-gradient.</summary>
    /// <param name="weightByKeptShare">Weight edge e into node i by 2/(i + 2), the share of a node's incoming edges the
    /// derived network keeps, so E[LAT] approximates the discrete network's latency rather than the supernet's
    /// (14 edges); false sums all 14 edges.</param>
    /// <remarks>T[e, o] = Σ over cells of the type of w_e·L(op o on edge e of that cell); fixed part =
    /// <see cref="FixedMs"/>. Column order is <see cref="DartsOperations.All"/>, α's order.</remarks>
    public ExpectedLatency ExpectedLatency(bool weightByKeptShare = true)
    {
        const int edges = DartsNetworkLayout.EdgesPerCell;
        int ops = DartsOperations.Count;
        var normal = new float[edges * ops];
        var reduce = new float[edges * ops];
        foreach (var cell in Layout.Cells)
        {
            var target = cell.Reduction ? reduce : normal;
            for (int e = 0; e < edges; e++)
            {
                double weight = weightByKeptShare ? 2.0 / (DartsNetworkLayout.EdgeEndpoints(e).Node + 2) : 1.0;
                for (int o = 0; o < ops; o++)
                {
                    target[(e * ops) + o] += (float)(weight * Table.LatencyMs(
                        Layout.EdgeOperation(cell, e, DartsOperations.All[o])));
                }
            }
        }
        return new ExpectedLatency(edges, ops, [normal, reduce], FixedMs);
    }
}

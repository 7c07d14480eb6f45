using NasBench.Hardware.Latency;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Hardware;
using NasBench.Hardware.Cost;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Search;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Hardware.Tests.Darts;

public class DartsLayoutTests
{
    private static readonly NetworkConfig Small = new(InitChannels: 4, Layers: 5, InputHeight: 8, InputWidth: 8);

    [Fact]
    public void Parameters_summed_over_a_genotypes_operations_equal_the_networks_count()
    {
        var layout = new DartsNetworkLayout(Small, batch: 2);
        var analyzer = new DartsOperationAnalyzer();
        foreach (var genotype in RandomGenotypeSampler.Sample(4, 9).Append(PublishedGenotypes.DartsV2))
        {
            var network = new DartsNetwork(genotype, Small, new Generator(1));
            long counted = layout.GenotypeOperations(genotype).Sum(o => analyzer.Count(o).Parameters);
            Assert.Equal(network.CountParameters(), counted);
        }
    }

    [Fact]
    public void Every_space_operation_builds_and_maps_its_input_to_the_expected_output_shape()
    {
        var layout = new DartsNetworkLayout(Small, batch: 2);
        var modules = new DartsOperationModules();
        var space = layout.SpaceOperations();
        Assert.Equal(space.Count, space.Select(o => o.Key).Distinct().Count());
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        foreach (var op in space)
        {
            var module = modules.Build(op);
            module.Eval();
            var y = module.Forward(Tensor.Rand(new Generator(2), modules.InputShape(op)));
            int[] expected = op.Operation == DartsFixedOperations.Classifier
                ? [2, op.OutChannels]
                : [2, op.OutChannels, op.OutHeight, op.OutWidth];
            Assert.True(y.Shape.SequenceEqual(expected), $"{op.Key}: got {y.ShapeString}");
        }
    }

    [Fact]
    public void Genotype_operations_are_the_fixed_parts_plus_eight_per_cell_all_inside_the_space()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var space = layout.SpaceOperations().Select(o => o.Key).ToHashSet();
        var ops = layout.GenotypeOperations(PublishedGenotypes.DartsV1);
        Assert.Equal(layout.FixedOperations().Count + (8 * Small.Layers), ops.Count);
        Assert.All(ops, o => Assert.Contains(o.Key, space));
        // Edge order is α's: node 0 has edges 0, 1; node 1 edges 2..4; node 3 edges 9..13.
        Assert.Equal(0, DartsNetworkLayout.EdgeIndex(0, 0));
        Assert.Equal(4, DartsNetworkLayout.EdgeIndex(1, 2));
        Assert.Equal(13, DartsNetworkLayout.EdgeIndex(3, 4));
        Assert.Equal((3, 4), DartsNetworkLayout.EdgeEndpoints(13));
        Assert.Equal((1, 0), DartsNetworkLayout.EdgeEndpoints(2));
    }

    [Fact]
    public void Random_genotypes_are_valid_deterministic_and_never_use_none()
    {
        var a = RandomGenotypeSampler.Sample(50, 4);
        Assert.Equal(a, RandomGenotypeSampler.Sample(50, 4));
        Assert.NotEqual(a, RandomGenotypeSampler.Sample(50, 5));
        foreach (var g in a)
        {
            foreach (var cell in new[] { g.Normal, g.Reduce })
            {
                Assert.DoesNotContain(cell, e => e.Operation == DartsOperations.None);
                for (int node = 0; node < 4; node++)
                {
                    Assert.NotEqual(cell[2 * node].Input, cell[(2 * node) + 1].Input);
                }
            }
            Assert.Equal(16, GenotypeEncoding.Encode(g).Sum());
            var full = GenotypeEncoding.EncodeFull(g);
            Assert.Equal(GenotypeEncoding.FullLength, full.Length);
            Assert.Equal(32, full.Sum());
            Assert.Equal(GenotypeEncoding.Encode(g), full[..GenotypeEncoding.Length]);
        }
    }

    private static LatencyTable SyntheticTable(DartsNetworkLayout layout)
    {
        var analyzer = new DartsOperationAnalyzer();
        // Latency as a known function of the counts, so every entry is distinct and positive.
        return new LatencyTable(TestTables.Fingerprint("synthetic"), "darts", layout.SpaceOperations().Select(o =>
            new LatencyEntry(o, 0.001 + (analyzer.Count(o).Macs * 1e-6) + (o.Operation.Length * 1e-4))));
    }

    [Fact]
    public void Population_lookup_equals_the_per_genotype_lookup_sum()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var model = new DartsLatencyModel(SyntheticTable(layout), layout);
        var genotypes = RandomGenotypeSampler.Sample(37, 8);
        var batch = model.EstimatePopulationMs(genotypes);
        for (int i = 0; i < genotypes.Count; i++)
        {
            double single = model.EstimateMs(genotypes[i]);
            Assert.Equal(single, batch[i], single * 1e-5);
        }
    }

    [Fact]
    public void Lookup_by_candidate_plus_the_fixed_part_is_the_lookup_sum_and_feeds_the_feature_set()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var model = new DartsLatencyModel(SyntheticTable(layout), layout);
        foreach (var genotype in RandomGenotypeSampler.Sample(5, 21))
        {
            var byOp = model.SumByCandidate(genotype);
            Assert.Equal(0, byOp[DartsOperations.IndexOf(DartsOperations.None)]);
            Assert.Equal(model.EstimateMs(genotype), model.FixedMs + byOp.Sum(), 9);
            var x = DartsLatencyFeatures.Build(DartsLatencyFeatures.CountsAndLookup, genotype, model);
            Assert.Equal(DartsLatencyFeatures.Length(DartsLatencyFeatures.CountsAndLookup), x.Length);
            Assert.Equal(GenotypeEncoding.Encode(genotype), x[..GenotypeEncoding.Length]);
            Assert.Equal(byOp.Select(v => (float)v), x[GenotypeEncoding.Length..]);
        }
        var g = PublishedGenotypes.DartsV2;
        Assert.Throws<ArgumentException>(() => DartsLatencyFeatures.Build(DartsLatencyFeatures.CountsAndLookup, g, null));
        Assert.Throws<ArgumentException>(() => DartsLatencyFeatures.Build("one-hot", g, model));
    }

    [Fact]
    public void Expected_latency_at_a_one_hot_alpha_is_the_table_sum_over_every_edge()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var table = SyntheticTable(layout);
        var model = new DartsLatencyModel(table, layout);
        int sep = DartsOperations.IndexOf(DartsOperations.SepConv3x3);
        float[] Alpha() => [.. Enumerable.Range(0, 14 * 8).Select(i => i % 8 == sep ? 30f : 0f)];
        double expected = model.FixedMs + layout.Cells.Sum(cell => Enumerable.Range(0, 14)
            .Sum(e => table.LatencyMs(layout.EdgeOperation(cell, e, DartsOperations.SepConv3x3))));
        Assert.Equal(expected, model.ExpectedLatency(weightByKeptShare: false).Evaluate([Alpha(), Alpha()]),
            expected * 1e-4);
        // Weighted by the kept share, the edges of node i count 2/(i + 2): 2 of each node's inputs survive.
        double weighted = model.FixedMs + layout.Cells.Sum(cell => Enumerable.Range(0, 14)
            .Sum(e => 2.0 / (DartsNetworkLayout.EdgeEndpoints(e).Node + 2)
                * table.LatencyMs(layout.EdgeOperation(cell, e, DartsOperations.SepConv3x3))));
        Assert.Equal(weighted, model.ExpectedLatency().Evaluate([Alpha(), Alpha()]), weighted * 1e-4);
    }

    [Fact]
    public void A_table_missing_an_entry_is_refused_naming_the_file_and_the_entry()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var full = SyntheticTable(layout);
        var missing = layout.SpaceOperations()[7];
        string path = TestTables.TempFile(".json");
        try
        {
            LatencyTableJson.Write(new LatencyTable(full.Fingerprint, "darts",
                full.Entries.Where(e => e.Key != missing.Key)), path);
            var e = Assert.Throws<LatencyTableFormatException>(() =>
                new DartsLatencyModel(LatencyTableIo.Read(path), layout));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(missing.Key, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Search_cost_table_built_from_a_latency_table_is_the_unweighted_expected_latency_table()
    {
        var layout = new DartsNetworkLayout(Small, batch: 1);
        var table = SyntheticTable(layout);
        var supernet = new SupernetConfig(Small.InitChannels, Small.Layers, Small.Classes, Small.InputChannels,
            Small.InputHeight, Small.InputWidth);
        // The search costs ops at its training batch; the model answers at the table's batch 1.
        var cost = ArchitectureCostTable.Build(supernet, new TableLatencyCostModel(table, batch: 1), batch: 64);
        var expected = new DartsLatencyModel(table, layout).ExpectedLatency(weightByKeptShare: false);
        Assert.Equal(expected.Table(0).ToArray(), cost.Normal);
        Assert.Equal(expected.Table(1).ToArray(), cost.Reduce);
        Assert.Throws<KeyNotFoundException>(() =>
            ArchitectureCostTable.Build(supernet, new TableLatencyCostModel(table), batch: 64));
    }

    [Fact]
    public void Tables_resolve_from_a_file_or_from_the_cache_of_a_built_in_target()
    {
        var layout = new DartsNetworkLayout(new NetworkConfig(2, 3, InputHeight: 4, InputWidth: 4), batch: 1);
        string root = Path.Combine(Path.GetTempPath(), $"nasbench-resolve-{Guid.NewGuid():N}");
        try
        {
            var cache = new LatencyTableCache(root);
            int calls = 0;
            var profiled = DartsLatencyTables.Resolve("cpu-1t", layout, cache, onProfiled: (_, _, _) => calls++);
            Assert.Equal(layout.SpaceOperations().Count, calls);
            var cached = DartsLatencyTables.Resolve("cpu-1t", layout, cache, onProfiled: (_, _, _) => calls++);
            Assert.Equal(layout.SpaceOperations().Count, calls);
            Assert.Equal(profiled.Entries, cached.Entries);
            string file = Path.Combine(root, "t.csv");
            LatencyTableCsv.Write(profiled, file);
            Assert.Equal(profiled.Entries.Count, DartsLatencyTables.Resolve(file, layout).Entries.Count);
            var bigger = new DartsNetworkLayout(new NetworkConfig(4, 3, InputHeight: 4, InputWidth: 4), batch: 1);
            var e = Assert.Throws<LatencyTableFormatException>(() => DartsLatencyTables.Resolve(file, bigger));
            Assert.Contains(file, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Latency-table lookups: the expected cost of a DARTS supernet (2 cells × 14 edges × 8 ops) with its
/// gradient, and table totals for a population of 10 000 encoded FBNet-style architectures (22 slots × 9 choices).
/// </summary>
[Config(typeof(NasBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LatencyLookupBenchmarks
{
    private const int Edges = 28, Ops = 8;
    private const int Population = 10_000, Slots = 22, Choices = 9;

    private float[] _alpha = [];
    private float[] _table = [];
    private float[] _p = new float[Edges * Ops];
    private float[] _dAlpha = new float[Edges * Ops];
    private int[] _index = [];
    private float[] _cost = [];
    private float[] _totals = new float[Population];

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _alpha = [.. Enumerable.Range(0, Edges * Ops).Select(_ => (random.NextSingle() - 0.5f) * 2e-3f)];
        _table = [.. Enumerable.Range(0, Edges * Ops).Select(_ => random.NextSingle() * 3f)];
        _cost = [.. Enumerable.Range(0, Slots * Choices).Select(_ => random.NextSingle() * 3f)];
        _index = [.. Enumerable.Range(0, Population * Slots).Select(i => ((i % Slots) * Choices) + random.Next(Choices))];
        CpuParallel.MaxThreads = Threads;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ExpectedCost")]
    public float ExpectedCostReference() =>
        LatencyLookupReference.ExpectedCost(Edges, Ops, _alpha, _table, _p, _dAlpha);

    [Benchmark, BenchmarkCategory("ExpectedCost")]
    public float ExpectedCost() => LatencyLookupKernel.ExpectedCost(Edges, Ops, _alpha, _table, _p, _dAlpha);

    [Benchmark(Baseline = true), BenchmarkCategory("BatchLookup")]
    public void BatchLookupReference() =>
        LatencyLookupReference.BatchLookup(Population, Slots, _index, _cost, _totals);

    [Benchmark, BenchmarkCategory("BatchLookup")]
    public void BatchLookup() => LatencyLookupKernel.BatchLookup(Population, Slots, _index, _cost, _totals);
}

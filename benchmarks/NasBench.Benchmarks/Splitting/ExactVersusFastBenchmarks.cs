using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Benchmarks.Splitting;

/// <summary>Exact S2D (S per neuron from back-prop + double-precision eigen-decomposition) against the fast
/// Rayleigh-quotient estimate at its stated budget (10 power + 100 Rayleigh steps + 1 frozen-v pass, the accuracy
/// test's setting) for one unit of 8 neurons with d = 144, 576, 1152 (3×3 conv over 16, 64, 128 channels).</summary>
/// <remarks>Both see the same single batch (16 images of 8×8). The exact path's cost is dominated by the C·O(d³)
/// eigen-solves; the fast path's by 111 forward/backward passes, independent of d³. One-shot runs: the exact
/// operation takes seconds to minutes at d = 1152.</remarks>
[Config(typeof(NasBenchConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class ExactVersusFastBenchmarks
{
    private GrowableNetwork _net = null!;
    private LabeledBatch _batch = null!;

    [Params(144, 576, 1152)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int cin = D / 9;
        var spec = new NetworkSpec("bench", cin, 8, 8, 10,
            [new UnitSpec(UnitKinds.Conv, 8, 3, 1), new UnitSpec(UnitKinds.GlobalPool),
                new UnitSpec(UnitKinds.Classifier, 10)]);
        _net = new GrowableNetwork(spec, new Generator(1));
        var g = new Generator(3);
        var images = new float[16 * cin * 64];
        g.FillNormal(images);
        _batch = new LabeledBatch(images, [.. Enumerable.Range(0, 16).Select(i => i % 10)], (16, cin, 8, 8));
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<LayerSplitIndices> Exact() => ExactSplitting.Estimate(_net, [_batch]);

    [Benchmark]
    public IReadOnlyList<LayerSplitIndices> Fast() => FastSplitting.Estimate(_net, [_batch],
        new FastSplitOptions(PowerIterations: 10, Iterations: 100));
}

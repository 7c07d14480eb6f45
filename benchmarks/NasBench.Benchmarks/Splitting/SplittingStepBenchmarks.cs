using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;
using NasBench.Tensors.Optim;

namespace NasBench.Benchmarks.Splitting;

/// <summary>Claim check (splitting.md §3.5): one fast splitting iteration — split-aware forward, backward to the
/// auxiliaries, Rayleigh step for every neuron — against one SGD training step of the same network and batch.
/// The Ratio column is the closing note's figure (our bound: ≤ 3×).</summary>
/// <remarks>MobileNet-like network at width 0.5 (widths 8–128) and VGG-like at 0.5, 28×28×1 input, batch 64.
/// The fast estimate runs one power iteration and <c>Iterations</c> Rayleigh steps plus one frozen-v pass, so the
/// per-iteration cost is the measured time divided by Iterations + 2.</remarks>
[Config(typeof(NasBenchConfig))]
public class SplittingStepBenchmarks
{
    private const int Iterations = 8;
    private GrowableNetwork _net = null!;
    private LabeledBatch _batch = null!;
    private Sgd _sgd = null!;

    [Params("mobilenet", "vgg")]
    public string Network { get; set; } = "mobilenet";

    [GlobalSetup]
    public void Setup()
    {
        _net = new GrowableNetwork(NetworkArchitectures.Create(Network, 1, 28, 28, 10, 0.5), new Generator(1));
        var g = new Generator(2);
        var images = new float[64 * 28 * 28];
        g.FillNormal(images);
        _batch = new LabeledBatch(images, [.. Enumerable.Range(0, 64).Select(i => i % 10)], (64, 1, 28, 28));
        _sgd = new Sgd(_net.Parameters(), 0.01, momentum: 0.9);
    }

    /// <summary>(Iterations + 2) SGD steps, so the two rows do the same number of back-props.</summary>
    [Benchmark(Baseline = true)]
    public void TrainingSteps()
    {
        _net.Train();
        for (int i = 0; i < Iterations + 2; i++)
        {
            using var scope = TensorScope.Enter();
            var loss = Functional.CrossEntropy(_net.Forward(_batch.ToTensor()), _batch.Labels);
            _sgd.ZeroGrad();
            loss.Backward();
            _sgd.Step();
        }
    }

    /// <summary>1 power iteration + Iterations Rayleigh steps + 1 frozen-v pass = Iterations + 2 back-props.</summary>
    [Benchmark]
    public IReadOnlyList<LayerSplitIndices> FastSplittingSteps() =>
        FastSplitting.Estimate(_net, [_batch], new FastSplitOptions(PowerIterations: 1, Iterations: Iterations));
}

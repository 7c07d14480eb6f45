using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Benchmarks.Training;

/// <summary>One SGD training step (forward, backward, update) of a small CNN inside a <see cref="TensorScope"/>:
/// time, and managed allocation per step (MemoryDiagnoser), which pooling keeps to small bookkeeping objects.</summary>
[Config(typeof(NasBenchConfig))]
public class TrainingStepBenchmarks
{
    private Sequential _model = null!;
    private Sgd _optimizer = null!;
    private Tensor _images = null!;
    private int[] _labels = null!;
    private IDisposable? _threads;

    [Params(16)]
    public int Batch { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [GlobalSetup]
    public void Setup()
    {
        _threads = CpuParallel.Limit(Threads);
        var g = new Generator(1);
        _model = new Sequential(
            new Conv2d(3, 16, 3, g, padding: 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 16, 3, g, padding: 1, groups: 16), new Conv2d(16, 32, 1, g), new BatchNorm2d(32),
            new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(32, 10, g));
        _optimizer = new Sgd(_model.Parameters(), 0.05, momentum: 0.9, weightDecay: 3e-4);
        _images = Tensor.Randn(g, Batch, 3, 16, 16).DetachFromScope();
        _labels = Enumerable.Range(0, Batch).Select(i => i % 10).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _threads?.Dispose();

    [Benchmark]
    public float TrainingStep()
    {
        using var scope = TensorScope.Enter();
        _optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(_model.Forward(_images), _labels);
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}

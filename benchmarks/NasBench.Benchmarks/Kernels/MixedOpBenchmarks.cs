using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>DARTS mixed op, K = 8 candidates on a [64,16,28,28] activation (3.2 MB per operand, the supernet's
/// shape): fused kernel against the double reference.</summary>
[Config(typeof(NasBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MixedOpBenchmarks : IThroughputSource
{
    private const int K = 8;
    private const int Length = 64 * 16 * 28 * 28;

    private float[][] _inputs = [];
    private float[]?[] _dInputs = [];
    private float[] _weights = [];
    private float[] _output = [];
    private float[] _dWeights = new float[K];

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _inputs = MixedOpData.Arrays(random, K, Length);
        _dInputs = MixedOpData.Arrays(random, K, Length);
        _weights = MixedOpData.Weights(K);
        _output = MixedOpData.Arrays(random, 1, Length)[0];
        CpuParallel.MaxThreads = Threads;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void ForwardReference() => MixedOpReference.Forward(_weights, _inputs, _output);

    [Benchmark, BenchmarkCategory("Forward")]
    public void Forward() => MixedOpKernel.Forward(_weights, _inputs, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("Backward")]
    public void BackwardReference() =>
        MixedOpReference.Backward(_weights, _inputs, _output, _dInputs, _dWeights, accumulate: false);

    [Benchmark, BenchmarkCategory("Backward")]
    public void Backward() =>
        MixedOpKernel.Backward(_weights, _inputs, _output, _dInputs, _dWeights, accumulate: false);

    public Work WorkPerOperation(string benchmarkMethod) => MixedOpData.Bytes(benchmarkMethod, K, Length);
}

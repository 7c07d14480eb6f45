using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Benchmarks.Kernels;

/// <summary>DARTS mixed op, K = 8, on operands far beyond L3 (64 MB and 256 MB each): the bandwidth test to set
/// beside STREAM triad. No reference here (seconds per call); the 3.2 MB case is in <see cref="MixedOpBenchmarks"/>.
/// </summary>
/// <remarks>The 256 MB case holds 17 operands (4.3 GB) for the backward.</remarks>
[Config(typeof(NasBenchConfig))]
public class MixedOpStreamingBenchmarks : IThroughputSource
{
    private const int K = 8;

    private float[][] _inputs = [];
    private float[]?[] _dInputs = [];
    private float[] _weights = [];
    private float[] _output = [];
    private float[] _dWeights = new float[K];

    /// <summary>Bytes per operand.</summary>
    [Params(64, 256)]
    public int OperandMB { get; set; }

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    private int Length => OperandMB << 18;

    [GlobalSetup(Targets = [nameof(Forward), nameof(ForwardCachedStores)])]
    public void SetupForward()
    {
        var random = new Random(2);
        _inputs = MixedOpData.Arrays(random, K, Length);
        _weights = MixedOpData.Weights(K);
        _output = MixedOpData.Arrays(random, 1, Length)[0];
        CpuParallel.MaxThreads = Threads;
    }

    [GlobalSetup(Targets = [nameof(Backward)])]
    public void SetupBackward()
    {
        SetupForward();
        _dInputs = MixedOpData.Arrays(new Random(3), K, Length);
    }

    [Benchmark]
    public void Forward() => MixedOpKernel.Forward(_weights, _inputs, _output);

    /// <summary>The same forward with ordinary stores, to show what streaming stores buy.</summary>
    [Benchmark]
    public void ForwardCachedStores() =>
        MixedOpKernel.Forward(_weights, _inputs, _output, SimdWidth.Best, nonTemporal: false);

    [Benchmark]
    public void Backward() =>
        MixedOpKernel.Backward(_weights, _inputs, _output, _dInputs, _dWeights, accumulate: false);

    public Work WorkPerOperation(string benchmarkMethod) => MixedOpData.Bytes(benchmarkMethod, K, Length);
}

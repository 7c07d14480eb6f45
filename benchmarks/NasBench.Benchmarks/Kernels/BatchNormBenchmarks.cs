using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Training batch norm, forward and backward, without affine parameters (DARTS search-time BN) on the three
/// DARTS feature-map sizes, fast kernel against the scalar reference.</summary>
/// <remarks>GB/s counts the compulsory traffic only: forward reads x and writes y, backward reads x and dy and writes
/// dx. The kernels make extra passes over each channel while it sits in L2.</remarks>
[Config(typeof(NasBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class BatchNormBenchmarks : IThroughputSource
{
    private const float Momentum = 0.1f, Eps = 1e-5f;
    private int _n, _c, _plane;
    private float[] _x = [], _y = [], _dy = [], _dx = [], _mean = [], _invStd = [], _runMean = [], _runVar = [];

    /// <summary>N×C×H×W.</summary>
    [Params("64x16x28x28", "64x32x14x14", "64x64x7x7")]
    public string Shape { get; set; } = "64x16x28x28";

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [GlobalSetup]
    public void Setup()
    {
        (_n, _c, _plane) = Parse(Shape);
        int total = _n * _c * _plane;
        var rng = new Random(42);
        _x = Enumerable.Range(0, total).Select(_ => (float)rng.NextDouble()).ToArray();
        _dy = Enumerable.Range(0, total).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[total];
        _dx = new float[total];
        (_mean, _invStd, _runMean) = (new float[_c], new float[_c], new float[_c]);
        _runVar = Enumerable.Repeat(1f, _c).ToArray();
        BatchNormReference.ForwardTraining(_n, _c, _plane, _x, [], [], _y, _mean, _invStd, [], [], Momentum, Eps);
        CpuParallel.MaxThreads = Threads;
    }

    [BenchmarkCategory("Forward"), Benchmark(Baseline = true)]
    public void ForwardReference() => BatchNormReference.ForwardTraining(_n, _c, _plane, _x, [], [], _y, _mean,
        _invStd, _runMean, _runVar, Momentum, Eps);

    [BenchmarkCategory("Forward"), Benchmark]
    public void Forward() => BatchNormKernel.ForwardTraining(_n, _c, _plane, _x, [], [], _y, _mean, _invStd, _runMean,
        _runVar, Momentum, Eps);

    [BenchmarkCategory("Backward"), Benchmark(Baseline = true)]
    public void BackwardReference() => BatchNormReference.Backward(_n, _c, _plane, _x, _dy, [], _mean, _invStd, _dx,
        [], [], accumulate: false);

    [BenchmarkCategory("Backward"), Benchmark]
    public void Backward() => BatchNormKernel.Backward(_n, _c, _plane, _x, _dy, [], _mean, _invStd, _dx, [], [],
        accumulate: false);

    public Work WorkPerOperation(string benchmarkMethod)
    {
        var (n, c, plane) = Parse(Shape);
        double tensor = 4.0 * n * c * plane;
        return Work.Bytes(benchmarkMethod.StartsWith("Backward", StringComparison.Ordinal) ? 3 * tensor : 2 * tensor);
    }

    private static (int N, int C, int Plane) Parse(string shape)
    {
        int[] d = shape.Split('x').Select(int.Parse).ToArray();
        return (d[0], d[1], d[2] * d[3]);
    }
}

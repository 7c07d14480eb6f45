using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>3×3 max and average pooling, stride 1, padding 1 (the DARTS pool ops) on the three DARTS feature-map
/// sizes, fast kernel against the scalar reference.</summary>
/// <remarks>GB/s counts the compulsory traffic only: x and y (and argmax, dy, dx) once each.</remarks>
[Config(typeof(NasBenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class PoolingBenchmarks : IThroughputSource
{
    private Pool2dShape _s;
    private float[] _x = [], _y = [], _dy = [], _dx = [];
    private int[] _argmax = [];

    /// <summary>N×C×H×W.</summary>
    [Params("64x16x28x28", "64x32x14x14", "64x64x7x7")]
    public string Shape { get; set; } = "64x16x28x28";

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [GlobalSetup]
    public void Setup()
    {
        _s = Parse(Shape);
        var rng = new Random(42);
        _x = Enumerable.Range(0, _s.InputLength).Select(_ => (float)rng.NextDouble()).ToArray();
        _dy = Enumerable.Range(0, _s.OutputLength).Select(_ => (float)rng.NextDouble()).ToArray();
        _y = new float[_s.OutputLength];
        _dx = new float[_s.InputLength];
        _argmax = new int[_s.OutputLength];
        PoolingReference.MaxForward(_s, _x, _y, _argmax);
        CpuParallel.MaxThreads = Threads;
    }

    [BenchmarkCategory("MaxForward"), Benchmark(Baseline = true)]
    public void MaxForwardReference() => PoolingReference.MaxForward(_s, _x, _y, _argmax);

    [BenchmarkCategory("MaxForward"), Benchmark]
    public void MaxForward() => PoolingKernel.MaxForward(_s, _x, _y, _argmax);

    [BenchmarkCategory("MaxBackward"), Benchmark(Baseline = true)]
    public void MaxBackwardReference() => PoolingReference.MaxBackward(_s, _dy, _argmax, _dx, accumulate: false);

    [BenchmarkCategory("MaxBackward"), Benchmark]
    public void MaxBackward() => PoolingKernel.MaxBackward(_s, _dy, _argmax, _dx, accumulate: false);

    [BenchmarkCategory("AvgForward"), Benchmark(Baseline = true)]
    public void AvgForwardReference() => PoolingReference.AvgForward(_s, _x, _y);

    [BenchmarkCategory("AvgForward"), Benchmark]
    public void AvgForward() => PoolingKernel.AvgForward(_s, _x, _y);

    [BenchmarkCategory("AvgBackward"), Benchmark(Baseline = true)]
    public void AvgBackwardReference() => PoolingReference.AvgBackward(_s, _dy, _dx, accumulate: false);

    [BenchmarkCategory("AvgBackward"), Benchmark]
    public void AvgBackward() => PoolingKernel.AvgBackward(_s, _dy, _dx, accumulate: false);

    public Work WorkPerOperation(string benchmarkMethod)
    {
        var s = Parse(Shape);
        double input = 4.0 * s.InputLength, output = 4.0 * s.OutputLength;
        return Work.Bytes(benchmarkMethod switch
        {
            "MaxForward" or "MaxForwardReference" => input + (2 * output),
            "MaxBackward" or "MaxBackwardReference" => input + (2 * output),
            _ => input + output,
        });
    }

    private static Pool2dShape Parse(string shape)
    {
        int[] d = shape.Split('x').Select(int.Parse).ToArray();
        return new Pool2dShape(d[0], d[1], d[2], d[3], Kernel: 3, Stride: 1, Padding: 1);
    }
}

using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Depthwise 3×3 and dilated depthwise 5×5 (dilation 2) at the shapes of peers.md §3a (stride 1, same
/// padding), forward and forward + backward (data and weight, with bias), at 1 and 2 threads.</summary>
/// <remarks>The 5×5 dilated backward is where PyTorch 1.13 (oneDNN 2.6) is slowest: 33 ms at 1 thread on
/// [64,16,28,28]. GFLOP/s count 2·MACs forward and 6·MACs forward + backward, as in peers.md.</remarks>
[Config(typeof(NasBenchConfig))]
[MinColumn]
public class DepthwiseConvolutionBenchmarks : IThroughputSource
{
    private Conv2dShape _shape;
    private float[] _x = [], _w = [], _bias = [], _y = [], _dy = [], _dx = [], _dw = [], _dbias = [];

    /// <summary>Input [N, C, H, W] as "N,C,H".</summary>
    [Params("64,16,28", "64,32,14")]
    public string Input { get; set; } = "64,16,28";

    /// <summary>"3x3" (dilation 1) or "5x5d2" (dilation 2).</summary>
    [Params("3x3", "5x5d2")]
    public string Filter { get; set; } = "3x3";

    [ParamsSource(nameof(ThreadValues))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadValues => ThreadsParam.Values;

    [GlobalSetup]
    public void Setup()
    {
        _shape = ShapeOf(Input, Filter);
        CpuParallel.MaxThreads = Threads;
        var rng = new Random(7);
        _x = ConvolutionBenchmarks.Fill(_shape.InputLength, rng);
        _w = ConvolutionBenchmarks.Fill(_shape.WeightLength, rng);
        _bias = ConvolutionBenchmarks.Fill(_shape.OutChannels, rng);
        _dy = ConvolutionBenchmarks.Fill(_shape.OutputLength, rng);
        _y = new float[_shape.OutputLength];
        _dx = new float[_shape.InputLength];
        _dw = new float[_shape.WeightLength];
        _dbias = new float[_shape.OutChannels];
    }

    [Benchmark]
    public void Forward() => DepthwiseConv2dKernel.Forward(_shape, _x, _w, _bias, _y);

    [Benchmark]
    public void ForwardBackward()
    {
        DepthwiseConv2dKernel.Forward(_shape, _x, _w, _bias, _y);
        DepthwiseConv2dKernel.BackwardData(_shape, _dy, _w, _dx, accumulate: false);
        DepthwiseConv2dKernel.BackwardWeight(_shape, _x, _dy, _dw, _dbias, accumulate: false);
    }

    public Work WorkPerOperation(string benchmarkMethod)
    {
        double macs = ShapeOf(Input, Filter).Macs;
        return Work.Flops(benchmarkMethod == nameof(Forward) ? 2 * macs : 6 * macs);
    }

    private static Conv2dShape ShapeOf(string input, string filter) => filter == "3x3"
        ? ConvolutionBenchmarks.ShapeOf(input, 3, groups: 0)
        : ConvolutionBenchmarks.ShapeOf(input, 5, groups: 0, dilation: 2);
}

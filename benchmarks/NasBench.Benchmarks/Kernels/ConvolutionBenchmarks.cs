using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Dense 3×3 and pointwise 1×1 convolution at the shapes of peers.md §3a (stride 1, same padding,
/// Cout = Cin), forward and forward + backward (data and weight, with bias), at 1 and 2 threads.</summary>
/// <remarks>GFLOP/s count 2·MACs for forward and 6·MACs for forward + backward, as the PyTorch peer script does, so
/// the columns compare directly with peers.md. The scalar reference is not a baseline here: one forward of these
/// shapes takes it seconds; the kernel tests compare against it instead.</remarks>
[Config(typeof(NasBenchConfig))]
[MinColumn]
public class ConvolutionBenchmarks : IThroughputSource
{
    private Conv2dShape _shape;
    private float[] _x = [], _w = [], _bias = [], _y = [], _dy = [], _dx = [], _dw = [], _dbias = [];

    /// <summary>Input [N, C, H, W] as "N,C,H".</summary>
    [Params("64,16,28", "64,32,14")]
    public string Input { get; set; } = "64,16,28";

    [Params(3, 1)]
    public int Kernel { get; set; } = 3;

    [ParamsSource(nameof(ThreadValues))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadValues => ThreadsParam.Values;

    [GlobalSetup]
    public void Setup()
    {
        _shape = ShapeOf(Input, Kernel);
        CpuParallel.MaxThreads = Threads;
        var rng = new Random(7);
        _x = Fill(_shape.InputLength, rng);
        _w = Fill(_shape.WeightLength, rng);
        _bias = Fill(_shape.OutChannels, rng);
        _dy = Fill(_shape.OutputLength, rng);
        _y = new float[_shape.OutputLength];
        _dx = new float[_shape.InputLength];
        _dw = new float[_shape.WeightLength];
        _dbias = new float[_shape.OutChannels];
    }

    [Benchmark]
    public void Forward() => Conv2dKernel.Forward(_shape, _x, _w, _bias, _y);

    [Benchmark]
    public void ForwardBackward()
    {
        Conv2dKernel.Forward(_shape, _x, _w, _bias, _y);
        Conv2dKernel.BackwardData(_shape, _dy, _w, _dx, accumulate: false);
        Conv2dKernel.BackwardWeight(_shape, _x, _dy, _dw, _dbias, accumulate: false);
    }

    public Work WorkPerOperation(string benchmarkMethod)
    {
        double macs = ShapeOf(Input, Kernel).Macs;
        return Work.Flops(benchmarkMethod == nameof(Forward) ? 2 * macs : 6 * macs);
    }

    internal static Conv2dShape ShapeOf(string input, int kernel, int groups = 1, int dilation = 1)
    {
        int[] d = input.Split(',').Select(int.Parse).ToArray();
        int pad = dilation * (kernel - 1) / 2;
        int g = groups == 0 ? d[1] : groups;
        return new Conv2dShape(d[0], d[1], d[2], d[2], d[1], kernel, kernel, PadH: pad, PadW: pad,
            DilationH: dilation, DilationW: dilation, Groups: g);
    }

    internal static float[] Fill(int length, Random rng)
    {
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return data;
    }
}

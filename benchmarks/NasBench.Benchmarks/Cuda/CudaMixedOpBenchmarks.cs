using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Cuda;

/// <summary>The mixed-op weighted sum and its backward (DESIGN.md §2, hot path 1) on the GPU against the CPU kernel on
/// every host core: K = 8 candidates on the supernet's [64,16,28,28] activation, the shape of
/// <see cref="MixedOpBenchmarks"/>. The GB/s column is the bytes each pass must move, against the card's bandwidth.
/// </summary>
/// <remarks>One GPU operation is the launch(es) plus a synchronisation; operands stay on the device.</remarks>
[NeedsCudaDevice]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CudaMixedOpBenchmarks : IThroughputSource, IDisposable
{
    private const int K = 8;
    private const int Length = 64 * 16 * 28 * 28;

    private float[][] _inputs = [];
    private float[]?[] _dInputs = [];
    private float[] _weights = [];
    private float[] _output = [];
    private readonly float[] _dWeights = new float[K];
    private CudaDevice _device = null!;
    private CudaMixedOpKernel _kernel = null!;
    private CudaBuffer<float>[] _x = [];
    private CudaBuffer<float>?[] _dx = [];
    private CudaBuffer<float> _y = null!, _dw = null!;

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxThreads = Environment.ProcessorCount;
        var random = new Random(1);
        _inputs = MixedOpData.Arrays(random, K, Length);
        _dInputs = MixedOpData.Arrays(random, K, Length);
        _weights = MixedOpData.Weights(K);
        _output = MixedOpData.Arrays(random, 1, Length)[0];
        _device = CudaDevice.Get(0);
        _kernel = new CudaMixedOpKernel(_device);
        _x = _inputs.Select(a => _device.Upload<float>(a)).ToArray();
        _dx = _dInputs.Select(a => (CudaBuffer<float>?)_device.Upload<float>(a!)).ToArray();
        _y = _device.Upload<float>(_output);
        _dw = _device.Allocate<float>(K);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void CpuForward() => MixedOpKernel.Forward(_weights, _inputs, _output);

    [Benchmark, BenchmarkCategory("Forward")]
    public void GpuForward()
    {
        _kernel.Forward(_weights, _x, _y);
        _device.Synchronize();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Backward")]
    public void CpuBackward() =>
        MixedOpKernel.Backward(_weights, _inputs, _output, _dInputs, _dWeights, accumulate: false);

    [Benchmark, BenchmarkCategory("Backward")]
    public void GpuBackward()
    {
        _kernel.Backward(_weights, _x, _y, _dx, _dw, accumulate: false);
        _device.Synchronize();
    }

    public Work WorkPerOperation(string benchmarkMethod) =>
        MixedOpData.Bytes(benchmarkMethod.Replace("Cpu", "", StringComparison.Ordinal)
            .Replace("Gpu", "", StringComparison.Ordinal), K, Length);

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (CudaBuffer<float>? buffer in _x.Concat(_dx).Append(_y).Append(_dw))
        {
            buffer?.Dispose();
        }
        _kernel?.Dispose();
        GC.SuppressFinalize(this);
    }
}

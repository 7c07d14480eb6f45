using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Cuda;

/// <summary>SGEMM on the GPU (<see cref="CudaSgemm"/>) against our CPU SGEMM on every host core, same operands, in
/// one run: the ratio column is the GPU's speed-up over the CPU.</summary>
/// <remarks>Each GPU operation is one launch followed by a synchronisation, so it includes launch latency (a few µs,
/// small beside these products). Operands are uploaded once in setup; no transfer is timed.</remarks>
[NeedsCudaDevice]
public class CudaSgemmBenchmarks : IThroughputSource, IDisposable
{
    private GemmOperands _operands = null!;
    private CudaDevice _device = null!;
    private CudaSgemm _sgemm = null!;
    private CudaBuffer<float> _a = null!, _b = null!, _c = null!;

    public static IEnumerable<GemmShape> Shapes => [GemmShape.Square(1024), GemmShape.Square(2048)];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Square(1024);

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxThreads = Environment.ProcessorCount;
        _operands = new GemmOperands(Shape);
        _device = CudaDevice.Get(0);
        _sgemm = new CudaSgemm(_device);
        _a = _device.Upload<float>(_operands.A);
        _b = _device.Upload<float>(_operands.B);
        _c = _device.Allocate<float>(_operands.C.Length);
    }

    [Benchmark(Baseline = true)]
    public void Cpu() => Sgemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f,
        _operands.A, _operands.Lda, _operands.B, _operands.Ldb, 0f, _operands.C, Shape.N);

    [Benchmark]
    public void Gpu()
    {
        _sgemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f, _a, _operands.Lda, _b,
            _operands.Ldb, 0f, _c, Shape.N);
        _device.Synchronize();
    }

    public Work WorkPerOperation(string benchmarkMethod) => Work.Flops(Shape.Flops);

    [GlobalCleanup]
    public void Dispose()
    {
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
        GC.SuppressFinalize(this);
    }
}

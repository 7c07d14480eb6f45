using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>SGEMM on shapes too large for the scalar reference: square 512–2048 and whole-batch (64 images) im2col
/// convolution GEMMs of peers.md §2, forward and both backward products.</summary>
public class SgemmLargeBenchmarks : IThroughputSource
{
    private GemmOperands _operands = null!;

    public static IEnumerable<GemmShape> Shapes =>
    [
        GemmShape.Square(512),
        GemmShape.Square(1024),
        GemmShape.Square(2048),
        GemmShape.ConvForward(64, 28, 16, 16),
        GemmShape.ConvBackwardWeights(64, 28, 16, 16),
        GemmShape.ConvBackwardData(64, 28, 16, 16),
        GemmShape.ConvForward(64, 28, 64, 64),
        GemmShape.ConvBackwardWeights(64, 28, 64, 64),
        GemmShape.ConvBackwardData(64, 28, 64, 64),
    ];

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Square(512);

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxThreads = Threads;
        _operands = new GemmOperands(Shape);
    }

    [Benchmark]
    public void Fast() => Sgemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f,
        _operands.A, _operands.Lda, _operands.B, _operands.Ldb, 0f, _operands.C, Shape.N);

    public Work WorkPerOperation(string benchmarkMethod) => Work.Flops(Shape.Flops);
}

using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>SGEMM on shapes small enough for the scalar reference as baseline: square 256 and the per-image (batch 1)
/// convolution GEMMs of peers.md §2. Larger shapes are in <see cref="SgemmLargeBenchmarks"/>.</summary>
public class SgemmBenchmarks : IThroughputSource
{
    private GemmOperands _operands = null!;

    public static IEnumerable<GemmShape> Shapes =>
    [
        GemmShape.Square(256),
        GemmShape.ConvForward(1, 28, 16, 16) with { Name = "b1 fwd 28² 16→16" },
        GemmShape.ConvForward(1, 28, 32, 32) with { Name = "b1 fwd 28² 32→32" },
        GemmShape.ConvForward(1, 28, 64, 64) with { Name = "b1 fwd 28² 64→64" },
        GemmShape.ConvForward(1, 14, 64, 64) with { Name = "b1 fwd 14² 64→64" },
        GemmShape.ConvForward(1, 7, 64, 64) with { Name = "b1 fwd 7² 64→64" },
    ];

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Square(256);

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxThreads = Threads;
        _operands = new GemmOperands(Shape);
    }

    [Benchmark(Baseline = true)]
    public void Reference() => SgemmReference.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f,
        _operands.A, _operands.Lda, _operands.B, _operands.Ldb, 0f, _operands.C, Shape.N);

    [Benchmark]
    public void Fast() => Sgemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, 1f,
        _operands.A, _operands.Lda, _operands.B, _operands.Ldb, 0f, _operands.C, Shape.N);

    public Work WorkPerOperation(string benchmarkMethod) => Work.Flops(Shape.Flops);
}

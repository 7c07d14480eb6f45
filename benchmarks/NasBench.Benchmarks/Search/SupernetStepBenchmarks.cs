using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Search;

/// <summary>Search cost: one supernet step on the peer's architecture (peers.md §3c: PyTorch 1.13 takes ~7 s for a
/// weight step at 1 and 2 threads, 15 s for a first-order DARTS step, and peaks at 4.75 GiB RSS).</summary>
[MemoryDiagnoser]
public class SupernetStepBenchmarks : IThroughputSource
{
    private SupernetWorkload _work = null!;

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.MaxThreads = Threads;
        _work = new SupernetWorkload();
        _work.WeightStep(); // warm the pools
    }

    [Benchmark]
    public void Forward() => _work.Forward();

    [Benchmark]
    public void WeightStep() => _work.WeightStep();

    [Benchmark]
    public void FirstOrderDartsStep() => _work.FirstOrderStep();

    /// <remarks>9.0 GMAC forward per batch (peers.md §3c); a training step counts 3× the forward FLOPs.</remarks>
    public Work WorkPerOperation(string benchmarkMethod) => benchmarkMethod switch
    {
        nameof(Forward) => Work.Flops(2 * 9.0e9),
        nameof(WeightStep) => Work.Flops(3 * 2 * 9.0e9),
        _ => Work.Flops(2 * 3 * 2 * 9.0e9),
    };
}

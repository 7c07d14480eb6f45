using BenchmarkDotNet.Attributes;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Ten Rayleigh-quotient steps on a batch of 64 symmetric d×d splitting matrices (the peer is PyTorch's
/// batched mat-vec loop, peers.md §4: 4.9 / 96 / 368 ms at d = 144 / 576 / 1152, 1 thread).</summary>
/// <remarks>GB/s counts the full matrix once per step (10 × 64·d²·4 bytes), the traffic of a plain batched mat-vec,
/// so it reads as "effective" bandwidth: the kernel reads only the upper triangle, and <c>Iterate</c> re-reads it
/// from cache.</remarks>
[Config(typeof(NasBenchConfig))]
public class RayleighQuotientBenchmarks : IThroughputSource
{
    private const int Batch = 64;
    private const int Iterations = 10;
    private const float StepSize = 0.25f;

    private float[] _s = [];
    private float[] _v0 = [];
    private float[] _v = [];
    private float[] _lambda = new float[Batch];

    [Params(144, 576, 1152)]
    public int D { get; set; }

    public static IEnumerable<int> ThreadCounts => ThreadsParam.Values;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Random symmetric matrices scaled as the peer's (X + Xᵀ)/(2√d), so spectra (and step sizes) match.
        var random = new Random(4);
        _s = new float[Batch * D * D];
        float scale = 1f / (2 * MathF.Sqrt(D));
        for (int b = 0; b < Batch; b++)
        {
            for (int i = 0; i < D; i++)
            {
                for (int j = i; j < D; j++)
                {
                    float x = (random.NextSingle() + random.NextSingle() - 1f) * 2.45f * scale;
                    _s[(b * D * D) + (i * D) + j] = x;
                    _s[(b * D * D) + (j * D) + i] = x;
                }
            }
        }
        _v0 = [.. Enumerable.Range(0, Batch * D).Select(_ => random.NextSingle() - 0.5f)];
        _v = new float[_v0.Length];
        CpuParallel.MaxThreads = Threads;
    }

    [IterationSetup]
    public void ResetVectors() => _v0.CopyTo(_v, 0);

    /// <summary>Double-precision full-matrix oracle; affordable up to d = 576, slow (seconds) at 1152.</summary>
    [Benchmark(Baseline = true)]
    public void ReferenceSteps()
    {
        for (int t = 0; t < Iterations; t++)
        {
            RayleighQuotientReference.Step(Batch, D, _s, _v, StepSize, _lambda);
        }
    }

    /// <summary>Ten separate batch-wide steps: ten passes over the whole batch (DRAM-bound at d ≥ 576).</summary>
    [Benchmark]
    public void Steps()
    {
        for (int t = 0; t < Iterations; t++)
        {
            RayleighQuotientKernel.Step(Batch, D, _s, _v, StepSize, _lambda);
        }
    }

    /// <summary>Iterate: ten steps matrix by matrix (then the frozen-v quotient), so only the first pass per matrix
    /// comes from DRAM.</summary>
    [Benchmark]
    public void Iterate() => RayleighQuotientKernel.Iterate(Batch, D, _s, _v, StepSize, Iterations, _lambda);

    public Work WorkPerOperation(string benchmarkMethod) => Work.Bytes(Iterations * (double)Batch * D * D * 4);
}

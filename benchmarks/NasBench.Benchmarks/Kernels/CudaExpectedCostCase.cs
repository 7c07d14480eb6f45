using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaLatencyLookupKernel.ExpectedCost"/> against <see cref="LatencyLookupKernel.ExpectedCost"/>
/// on <see cref="LatencyLookupBenchmarks"/>' supernet table (edges × ops, α near 0, latencies in [0, 3)).</summary>
/// <remarks>The CUDA call reads the cost back, so it synchronises at every call: what it measures is the round trip
/// a search step would pay.</remarks>
internal sealed class CudaExpectedCostCase : CudaTimingCase
{
    private readonly int _edges, _ops;
    private readonly float[] _alpha, _table, _p, _dAlpha;
    private readonly float[] _cpuCost = new float[1], _gpuCost = new float[1];
    private CudaBuffer<float> _ab = null!, _lb = null!, _pb = null!, _gb = null!;
    private CudaLatencyLookupKernel _kernel = null!;

    public CudaExpectedCostCase(int edges, int ops)
    {
        (_edges, _ops) = (edges, ops);
        var random = new Random(5);
        _alpha = [.. Enumerable.Range(0, edges * ops).Select(_ => (random.NextSingle() - 0.5f) * 2e-3f)];
        _table = [.. Enumerable.Range(0, edges * ops).Select(_ => random.NextSingle() * 3f)];
        _p = new float[edges * ops];
        _dAlpha = new float[edges * ops];
    }

    public override bool SynchronisesEachCall => true;

    public override void Upload(CudaDevice device)
    {
        _ab = Upload(device, _alpha);
        _lb = Upload(device, _table);
        _pb = Allocate<float>(device, _p.Length);
        _gb = Allocate<float>(device, _dAlpha.Length);
    }

    public override void Prepare(CudaDevice device) => _kernel = Own(new CudaLatencyLookupKernel(device));

    public override void RunGpu() => _gpuCost[0] = _kernel.ExpectedCost(_edges, _ops, _ab, _lb, _pb, _gb);

    public override void RunCpu() =>
        _cpuCost[0] = LatencyLookupKernel.ExpectedCost(_edges, _ops, _alpha, _table, _p, _dAlpha);

    /// <summary>Twice the CUDA tests' bounds: cost 1e-5 relative, p 1e-6 and dα 1e-5 absolute.</summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
    [
        CudaAgreement.RelativeAboveOne("cost", _cpuCost, _gpuCost, 2 * 1e-5),
        CudaAgreement.Absolute("p", _p, Download(_pb), 2 * 1e-6),
        CudaAgreement.Absolute("dα", _dAlpha, Download(_gb), 2 * 1e-5),
    ];
}

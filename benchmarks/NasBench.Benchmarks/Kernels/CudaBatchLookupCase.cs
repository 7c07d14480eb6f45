using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaLatencyLookupKernel.BatchLookup"/> against <see cref="LatencyLookupKernel"/>.BatchLookup
/// on <see cref="LatencyLookupBenchmarks"/>' encoding (slots × choices entries, one choice per slot).</summary>
/// <remarks>The CUDA call copies an index flag to the device and back to report bad input, so it synchronises at
/// every call.</remarks>
internal sealed class CudaBatchLookupCase : CudaTimingCase
{
    private readonly int _population, _slots;
    private readonly int[] _index;
    private readonly float[] _cost, _totals;
    private CudaBuffer<int> _ib = null!;
    private CudaBuffer<float> _cb = null!, _tb = null!;
    private CudaLatencyLookupKernel _kernel = null!;

    public CudaBatchLookupCase(int population, int slots, int choices)
    {
        (_population, _slots) = (population, slots);
        var random = new Random(5);
        _cost = [.. Enumerable.Range(0, slots * choices).Select(_ => random.NextSingle() * 3f)];
        _index = [.. Enumerable.Range(0, population * slots).Select(i => ((i % slots) * choices) + random.Next(choices))];
        _totals = new float[population];
    }

    public override bool SynchronisesEachCall => true;

    public override CudaWork? Work => new((double)_population * _slots / 1e6, "Mlookup/s");

    public override void Upload(CudaDevice device)
    {
        _ib = Upload(device, _index);
        _cb = Upload(device, _cost);
        _tb = Allocate<float>(device, _population);
    }

    public override void Prepare(CudaDevice device) => _kernel = Own(new CudaLatencyLookupKernel(device));

    public override void RunGpu() => _kernel.BatchLookup(_population, _slots, _ib, _cb, _tb);

    public override void RunCpu() => LatencyLookupKernel.BatchLookup(_population, _slots, _index, _cost, _totals);

    /// <summary>The CUDA tests allow 1e-6 of each total against a double sum; twice that between two float sums.
    /// </summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
        [CudaAgreement.RelativeAboveOne("totals", _totals, Download(_tb), 2 * 1e-6)];
}

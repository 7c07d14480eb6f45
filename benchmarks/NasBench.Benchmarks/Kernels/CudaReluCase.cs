using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaActivationKernel.Relu"/> against <see cref="ActivationKernel.Relu"/> on x uniform in
/// [−1, 1): a pure streaming pass, the bandwidth floor of the element-wise kernels.</summary>
internal sealed class CudaReluCase : CudaTimingCase
{
    private readonly float[] _x, _y;
    private CudaBuffer<float> _xb = null!, _yb = null!;
    private CudaActivationKernel _kernel = null!;

    public CudaReluCase(int length)
    {
        _x = Uniform(30, length, -1, 1);
        _y = new float[length];
    }

    /// <summary>x read once, y written once.</summary>
    public override CudaWork? Work => new(2 * 4.0 * _x.Length / 1e9, "GB/s");

    public override void Upload(CudaDevice device)
    {
        _xb = Upload(device, _x);
        _yb = Allocate<float>(device, _x.Length);
    }

    public override void Prepare(CudaDevice device) => _kernel = new CudaActivationKernel(device);

    public override void RunGpu() => _kernel.Relu(_xb, _yb);

    public override void RunCpu() => ActivationKernel.Relu(_x, _y);

    /// <summary>max(x, 0) is exact: the CUDA tests demand equality.</summary>
    public override IReadOnlyList<CudaAgreement> Check() => [CudaAgreement.Absolute("y", _y, Download(_yb), 0)];
}

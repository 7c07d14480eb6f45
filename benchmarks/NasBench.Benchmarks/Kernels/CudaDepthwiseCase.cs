using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaDepthwiseConv2dKernel.Forward"/> against <see cref="DepthwiseConv2dKernel.Forward"/>:
/// stride 1, same-size padding, no bias, no fused ReLU (the CUDA kernel has none); x and w uniform in [−1, 1).
/// </summary>
internal sealed class CudaDepthwiseCase : CudaTimingCase
{
    private readonly Conv2dShape _shape;
    private readonly float[] _x, _w, _y;
    private CudaBuffer<float> _xb = null!, _wb = null!, _yb = null!;
    private CudaDepthwiseConv2dKernel _kernel = null!;

    public CudaDepthwiseCase(int batch, int channels, int side, int kernel)
    {
        _shape = new Conv2dShape(batch, channels, side, side, channels, kernel, kernel, PadH: (kernel - 1) / 2,
            PadW: (kernel - 1) / 2, Groups: channels);
        _x = Uniform(20, _shape.InputLength, -1, 1);
        _w = Uniform(21, _shape.WeightLength, -1, 1);
        _y = new float[_shape.OutputLength];
    }

    public override CudaWork? Work => new(2.0 * _shape.Macs / 1e9, "GFLOP/s");

    public override void Upload(CudaDevice device)
    {
        _xb = Upload(device, _x);
        _wb = Upload(device, _w);
        _yb = Allocate<float>(device, _shape.OutputLength);
    }

    public override void Prepare(CudaDevice device) => _kernel = new CudaDepthwiseConv2dKernel(device);

    public override void RunGpu() => _kernel.Forward(_shape, _xb, _wb, null, _yb);

    public override void RunCpu() => DepthwiseConv2dKernel.Forward(_shape, _x, _w, [], _y);

    /// <summary>The CUDA tests allow 1e-6·KH·KW against the reference; twice that between two float results.
    /// </summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
        [CudaAgreement.Absolute("y", _y, Download(_yb), 2 * 1e-6 * _shape.KernelH * _shape.KernelW)];
}

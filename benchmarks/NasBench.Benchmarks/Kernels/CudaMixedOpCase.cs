using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaMixedOpKernel.Forward"/> against <see cref="MixedOpKernel"/>: y = Σ_k w_k·x_k over K
/// candidate outputs of [N, C, H, W], weights uniform in [−1, 1) and inputs in [−2, 2) as in the CUDA tests.</summary>
internal sealed class CudaMixedOpCase : CudaTimingCase
{
    private const float MaxWeight = 1, MaxInput = 2;
    private readonly int _length;
    private readonly float[] _weights, _y;
    private readonly float[][] _inputs;
    private CudaBuffer<float>[] _xb = [];
    private CudaBuffer<float> _yb = null!;
    private CudaMixedOpKernel _kernel = null!;

    public CudaMixedOpCase(int batch, int channels, int height, int width, int candidates)
    {
        _length = batch * channels * height * width;
        _weights = Uniform(10, candidates, -MaxWeight, MaxWeight);
        _inputs = [.. Enumerable.Range(0, candidates).Select(j => Uniform(11 + j, _length, -MaxInput, MaxInput))];
        _y = new float[_length];
    }

    /// <summary>The floor of memory traffic: each input read once, y written once.</summary>
    public override CudaWork? Work => new((_inputs.Length + 1) * 4.0 * _length / 1e9, "GB/s");

    public override void Upload(CudaDevice device)
    {
        _xb = [.. _inputs.Select(x => Upload(device, x))];
        _yb = Allocate<float>(device, _length);
    }

    public override void Prepare(CudaDevice device) => _kernel = Own(new CudaMixedOpKernel(device));

    public override void RunGpu() => _kernel.Forward(_weights, _xb, _yb);

    public override void RunCpu() => MixedOpKernel.Forward(_weights, _inputs, _y);

    /// <summary>The CUDA tests allow 1e-5·Σ_k |w_k·x_k| per element; twice its bound over these operand ranges.
    /// </summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
        [CudaAgreement.Absolute("y", _y, Download(_yb), 2 * 1e-5 * _inputs.Length * MaxWeight * MaxInput)];
}

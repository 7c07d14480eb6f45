using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaSgemm"/> against <see cref="Sgemm"/>: C = A·B, row-major, no transposes, packed strides,
/// A and B uniform in [−1, 1).</summary>
internal sealed class CudaSgemmCase : CudaTimingCase
{
    private readonly int _m, _n, _k;
    private readonly float[] _a, _b, _c;
    private CudaBuffer<float> _ab = null!, _bb = null!, _cb = null!;
    private CudaSgemm _gemm = null!;

    public CudaSgemmCase(int m, int n, int k)
    {
        (_m, _n, _k) = (m, n, k);
        _a = Uniform(1, m * k, -1, 1);
        _b = Uniform(2, k * n, -1, 1);
        _c = new float[m * n];
    }

    public override CudaWork? Work => new(2.0 * _m * _n * _k / 1e9, "GFLOP/s");

    public override void Upload(CudaDevice device)
    {
        _ab = Upload(device, _a);
        _bb = Upload(device, _b);
        _cb = Allocate<float>(device, _m * _n);
    }

    public override void Prepare(CudaDevice device) => _gemm = new CudaSgemm(device);

    public override void RunGpu() => _gemm.Multiply(false, false, _m, _n, _k, 1f, _ab, _k, _bb, _n, 0f, _cb, _n);

    public override void RunCpu() => Sgemm.Multiply(false, false, _m, _n, _k, 1f, _a, _k, _b, _n, 0f, _c, _n);

    /// <summary>beta = 0, so both sides already hold A·B from their last call. The CUDA tests allow 1e-6·|alpha|·k
    /// against a double reference; two float results may each be that far off, hence twice it.</summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
        [CudaAgreement.Absolute("C", _c, Download(_cb), 2 * 1e-6 * _k)];
}

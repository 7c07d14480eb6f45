using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaRayleighQuotientKernel.Iterate"/> against <see cref="RayleighQuotientKernel"/>.Iterate:
/// ten steps on a batch of symmetric d×d matrices, generated as <see cref="RayleighQuotientBenchmarks"/> does.
/// </summary>
/// <remarks>The two Iterates differ in their last λ: the CPU one ends with an extra (cache-resident) quotient of the
/// final v, the CUDA one leaves the λ before the last step. The check therefore compares v, then λ of the final v
/// from <see cref="CudaRayleighQuotientKernel.Quotient"/>.</remarks>
internal sealed class CudaRayleighCase : CudaTimingCase
{
    private const float StepSize = 0.25f;
    private readonly int _batch, _d, _iterations;
    private readonly float[] _s, _v0, _v, _lambda;
    private CudaBuffer<float> _sb = null!, _vb = null!, _lb = null!;
    private CudaRayleighQuotientKernel _kernel = null!;

    public CudaRayleighCase(int batch, int d, int iterations)
    {
        (_batch, _d, _iterations) = (batch, d, iterations);
        var random = new Random(4);
        _s = new float[batch * d * d];
        float scale = 1f / (2 * MathF.Sqrt(d));
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = i; j < d; j++)
                {
                    float x = (random.NextSingle() + random.NextSingle() - 1f) * 2.45f * scale;
                    _s[(b * d * d) + (i * d) + j] = x;
                    _s[(b * d * d) + (j * d) + i] = x;
                }
            }
        }
        _v0 = Uniform(5, batch * d, -0.5f, 0.5f);
        _v = (float[])_v0.Clone();
        _lambda = new float[batch];
    }

    /// <summary>"Effective" bandwidth as in the benchmarks: the whole matrix once per step.</summary>
    public override CudaWork? Work => new(_iterations * (double)_batch * _d * _d * 4 / 1e9, "GB/s");

    public override void Upload(CudaDevice device)
    {
        _sb = Upload(device, _s);
        _vb = Upload(device, _v0);
        _lb = Allocate<float>(device, _batch);
    }

    public override void Prepare(CudaDevice device) => _kernel = Own(new CudaRayleighQuotientKernel(device));

    public override void RunGpu() => _kernel.Iterate(_batch, _d, _sb, _vb, StepSize, _iterations, _lb);

    public override void RunCpu() => RayleighQuotientKernel.Iterate(_batch, _d, _s, _v, StepSize, _iterations, _lambda);

    /// <summary>Both sides restart from v₀. The CUDA tests allow 1e-4 on v for one step (so 1e-4 per step here) and
    /// 4e-5·√d on λ against the double reference; twice that for λ between two float results.</summary>
    public override IReadOnlyList<CudaAgreement> Check()
    {
        _v0.CopyTo(_v, 0);
        _vb.CopyFrom(_v0);
        RunCpu();
        RunGpu();
        _kernel.Quotient(_batch, _d, _sb, _vb, _lb);
        return
        [
            CudaAgreement.Absolute("v", _v, Download(_vb), 1e-4 * _iterations),
            CudaAgreement.Absolute("λ", _lambda, Download(_lb), 2 * 4e-5 * Math.Sqrt(_d)),
        ];
    }
}

using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary><see cref="CudaNormalizedMixedOpKernel.Forward"/> against <see cref="NormalizedMixedOpKernel"/>, with the
/// operands of <c>CudaNormalizedMixedOpKernelTests</c>: candidate j spread over ±(1 + j mod 7), weights in
/// [0.05, 0.4), and kinds cycling batch statistics / constant statistics / identity.</summary>
internal sealed class CudaNormalizedMixedOpCase : CudaTimingCase
{
    private const float NormEps = 1e-5f;
    private readonly int _batch, _channels, _plane, _total;
    private readonly float[] _weights, _eps, _mean, _invStd, _variance, _y;
    private readonly bool[] _batchStatistics;
    private readonly float[][] _inputs;
    private CudaBuffer<float>[] _xb = [];
    private CudaBuffer<float> _meanB = null!, _invStdB = null!, _varianceB = null!, _yb = null!;
    private CudaNormalizedMixedOpKernel _kernel = null!;

    public CudaNormalizedMixedOpCase(int batch, int channels, int height, int width, int candidates)
    {
        (_batch, _channels, _plane) = (batch, channels, height * width);
        _total = batch * channels * _plane;
        _inputs = [.. Enumerable.Range(0, candidates)
            .Select(j => Uniform(100 + j, _total, -1f - (j % 7), 1f + (j % 7)))];
        _weights = Uniform(150, candidates, 0.05f, 0.4f);
        _batchStatistics = [.. Enumerable.Range(0, candidates).Select(j => j % 3 == 0)];
        _eps = [.. Enumerable.Range(0, candidates).Select(j => j % 3 == 2 ? 0f : NormEps)];
        // Constant-statistics candidates read these; identity candidates read μ = 0, σ = 1; batch-statistics ones
        // overwrite theirs, with the same values at every call, so repeated calls leave the same state.
        float[] constantMean = Uniform(160, channels, -0.5f, 0.5f), constantInvStd = Uniform(161, channels, 0.5f, 2f);
        _mean = new float[candidates * channels];
        _invStd = new float[candidates * channels];
        for (int j = 0; j < candidates; j++)
        {
            for (int c = 0; c < channels; c++)
            {
                bool identity = j % 3 == 2;
                _mean[(j * channels) + c] = identity ? 0f : constantMean[c];
                _invStd[(j * channels) + c] = identity ? 1f : constantInvStd[c];
            }
        }
        _variance = new float[candidates * channels];
        _y = new float[_total];
    }

    /// <summary>The floor of memory traffic (each input once, y once); the kernel reads the batch-statistics
    /// candidates twice, so its true traffic is higher.</summary>
    public override CudaWork? Work => new((_inputs.Length + 1) * 4.0 * _total / 1e9, "GB/s");

    public override void Upload(CudaDevice device)
    {
        _xb = [.. _inputs.Select(x => Upload(device, x))];
        _meanB = Upload(device, _mean);
        _invStdB = Upload(device, _invStd);
        _varianceB = Upload(device, _variance);
        _yb = Allocate<float>(device, _total);
    }

    public override void Prepare(CudaDevice device) => _kernel = Own(new CudaNormalizedMixedOpKernel(device));

    public override void RunGpu() => _kernel.Forward(_batch, _channels, _plane, _weights, _xb, _batchStatistics,
        _eps, _meanB, _invStdB, _varianceB, _yb);

    public override void RunCpu() => NormalizedMixedOpKernel.Forward(_batch, _channels, _plane, _weights, _inputs,
        _batchStatistics, _eps, _mean, _invStd, _variance, _y);

    /// <summary>Twice the CUDA tests' bounds against the double reference (relative above 1): y 2e-5·K, μ 1e-6,
    /// σ 2e-5.</summary>
    public override IReadOnlyList<CudaAgreement> Check() =>
    [
        CudaAgreement.RelativeAboveOne("y", _y, Download(_yb), 2 * 2e-5 * _inputs.Length),
        CudaAgreement.RelativeAboveOne("mean", _mean, Download(_meanB), 2 * 1e-6),
        CudaAgreement.RelativeAboveOne("invStd", _invStd, Download(_invStdB), 2 * 2e-5),
    ];
}

using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Batch norm over NCHW, training and inference, forward and backward.</summary>
/// <remarks>Contract is that of <see cref="BatchNormReference"/>. TEMPORARY bodies: delegate to the reference.</remarks>
public static class BatchNormKernel
{
    public static void ForwardTraining(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> saveMean, Span<float> saveInvStd,
        Span<float> runningMean, Span<float> runningVar, float momentum, float eps)
        => BatchNormReference.ForwardTraining(batch, channels, planeSize, x, gamma, beta, y, saveMean, saveInvStd,
            runningMean, runningVar, momentum, eps);

    public static void ForwardInference(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar, float eps, Span<float> y)
        => BatchNormReference.ForwardInference(batch, channels, planeSize, x, gamma, beta, runningMean, runningVar, eps, y);

    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta, bool accumulate)
        => BatchNormReference.Backward(batch, channels, planeSize, x, dy, gamma, saveMean, saveInvStd, dx, dGamma, dBeta,
            accumulate);
}

namespace NasBench.Kernels.Reference;

/// <summary>Batch-norm oracle over NCHW (statistics per channel over N·H·W), in double.</summary>
/// <remarks>Training normalises with the biased batch variance and updates the running variance with the unbiased one
/// (PyTorch): <c>running = (1 − momentum)·running + momentum·batch</c>. Empty gamma/beta spans mean affine = false.</remarks>
public static class BatchNormReference
{
    public static void ForwardTraining(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> saveMean, Span<float> saveInvStd,
        Span<float> runningMean, Span<float> runningVar, float momentum, float eps)
    {
        int count = batch * planeSize;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, sq = 0;
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                double v = x[(((n * channels) + c) * planeSize) + i];
                sum += v;
                sq += v * v;
            }
            double mean = sum / count;
            double variance = Math.Max(0, (sq / count) - (mean * mean));
            double invStd = 1.0 / Math.Sqrt(variance + eps);
            saveMean[c] = (float)mean;
            saveInvStd[c] = (float)invStd;
            if (!runningMean.IsEmpty)
            {
                double unbiased = count > 1 ? variance * count / (count - 1) : variance;
                runningMean[c] = (float)(((1 - momentum) * runningMean[c]) + (momentum * mean));
                runningVar[c] = (float)(((1 - momentum) * runningVar[c]) + (momentum * unbiased));
            }
            double scale = gamma.IsEmpty ? invStd : gamma[c] * invStd;
            double shift = (beta.IsEmpty ? 0 : beta[c]) - (mean * scale);
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                int j = (((n * channels) + c) * planeSize) + i;
                y[j] = (float)((x[j] * scale) + shift);
            }
        }
    }

    public static void ForwardInference(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar, float eps, Span<float> y)
    {
        for (int c = 0; c < channels; c++)
        {
            double invStd = 1.0 / Math.Sqrt(runningVar[c] + eps);
            double scale = gamma.IsEmpty ? invStd : gamma[c] * invStd;
            double shift = (beta.IsEmpty ? 0 : beta[c]) - (runningMean[c] * scale);
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                int j = (((n * channels) + c) * planeSize) + i;
                y[j] = (float)((x[j] * scale) + shift);
            }
        }
    }

    /// <summary>Training-mode backward: dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)); dγ = Σ dy·x̂; dβ = Σ dy.</summary>
    /// <remarks>dx is written or added (<paramref name="accumulate"/>); dγ and dβ are always overwritten and may be empty.</remarks>
    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta, bool accumulate)
    {
        int count = batch * planeSize;
        for (int c = 0; c < channels; c++)
        {
            double mean = saveMean[c], invStd = saveInvStd[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                int j = (((n * channels) + c) * planeSize) + i;
                double xhat = (x[j] - mean) * invStd;
                sumDy += dy[j];
                sumDyXhat += dy[j] * xhat;
            }
            if (!dGamma.IsEmpty)
            {
                dGamma[c] = (float)sumDyXhat;
            }
            if (!dBeta.IsEmpty)
            {
                dBeta[c] = (float)sumDy;
            }
            double g = gamma.IsEmpty ? 1 : gamma[c];
            double meanDy = sumDy / count, meanDyXhat = sumDyXhat / count;
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                int j = (((n * channels) + c) * planeSize) + i;
                double xhat = (x[j] - mean) * invStd;
                float v = (float)(g * invStd * (dy[j] - meanDy - (xhat * meanDyXhat)));
                dx[j] = accumulate ? dx[j] + v : v;
            }
        }
    }
}

namespace NasBench.Kernels.Reference;

/// <summary>Oracle for <see cref="Cpu.NormalizedMixedOpKernel"/>: the mixed op over candidates whose final batch norm
/// is folded into the sum, <c>y[n,c,·] = Σ_k w_k·(x_k[n,c,·] − μ_k[c])·σ_k[c]</c>, written as the textbook two-step
/// batch norm followed by the weighted sum, every reduction in double.</summary>
/// <remarks>Inputs [N, C, planeSize]; statistics [K, C]. For k with <c>batchStatistics[k]</c>: μ = mean, var =
/// biased variance, σ = 1/√(var + eps_k), computed here and written; otherwise μ and σ are read. Backward: for those
/// k, dx = w·σ·(dy − mean(dy) − x̂·mean(dy·x̂)); for the others dx = w·σ·dy; dw_k = Σ dy·x̂_k.</remarks>
public static class NormalizedMixedOpReference
{
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps, Span<float> mean,
        Span<float> invStd, Span<float> variance, Span<float> output)
    {
        NormalizedMixedOpValidation.Forward(batch, channels, planeSize, weights, inputs, batchStatistics, eps,
            mean.Length, invStd.Length, variance.Length, output.Length);
        int k = inputs.Count;
        long count = (long)batch * planeSize;
        for (int j = 0; j < k; j++)
        {
            if (!batchStatistics[j])
            {
                continue;
            }
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++)
                {
                    for (int p = 0; p < planeSize; p++)
                    {
                        sum += inputs[j][Index(n, c, p, channels, planeSize)];
                    }
                }
                double mu = sum / count, sq = 0;
                for (int n = 0; n < batch; n++)
                {
                    for (int p = 0; p < planeSize; p++)
                    {
                        double d = inputs[j][Index(n, c, p, channels, planeSize)] - mu;
                        sq += d * d;
                    }
                }
                double var = sq / count;
                int at = (j * channels) + c;
                mean[at] = (float)mu;
                variance[at] = (float)var;
                invStd[at] = (float)(1.0 / Math.Sqrt(var + eps[j]));
            }
        }
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < planeSize; p++)
                {
                    long i = Index(n, c, p, channels, planeSize);
                    double y = 0;
                    for (int j = 0; j < k; j++)
                    {
                        int at = (j * channels) + c;
                        double normalized = (inputs[j][i] - (double)mean[at]) * invStd[at];
                        y += weights[j] * normalized;
                    }
                    output[(int)i] = (float)y;
                }
            }
        }
    }

    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> dy, IReadOnlyList<float[]?> dInputs,
        ReadOnlySpan<bool> accumulate, Span<float> dWeights)
    {
        NormalizedMixedOpValidation.Backward(batch, channels, planeSize, weights, inputs, batchStatistics, mean.Length,
            invStd.Length, dy.Length, dInputs, accumulate.Length, dWeights.Length);
        int k = inputs.Count;
        long count = (long)batch * planeSize;
        for (int j = 0; j < k; j++)
        {
            double dw = 0;
            for (int c = 0; c < channels; c++)
            {
                int at = (j * channels) + c;
                double mu = mean[at], sigma = invStd[at];
                // The norm's output gradient is w_j·dy; its batch means of dy and dy·x̂.
                double sumDy = 0, sumDyXhat = 0;
                for (int n = 0; n < batch; n++)
                {
                    for (int p = 0; p < planeSize; p++)
                    {
                        long i = Index(n, c, p, channels, planeSize);
                        double xhat = (inputs[j][i] - mu) * sigma;
                        sumDy += dy[(int)i];
                        sumDyXhat += dy[(int)i] * xhat;
                    }
                }
                dw += sumDyXhat;
                if (dInputs[j] is not { } dx)
                {
                    continue;
                }
                for (int n = 0; n < batch; n++)
                {
                    for (int p = 0; p < planeSize; p++)
                    {
                        long i = Index(n, c, p, channels, planeSize);
                        double g = weights[j] * (double)dy[(int)i];
                        if (batchStatistics[j])
                        {
                            double xhat = (inputs[j][i] - mu) * sigma;
                            g -= weights[j] * ((sumDy / count) + (xhat * sumDyXhat / count));
                        }
                        float v = (float)(g * sigma);
                        dx[i] = accumulate[j] ? dx[i] + v : v;
                    }
                }
            }
            dWeights[j] = (float)dw;
        }
    }

    private static long Index(int n, int c, int p, int channels, int planeSize) =>
        ((((long)n * channels) + c) * planeSize) + p;
}

using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;
using NasBench.Tensors.Memory;

namespace NasBench.Tensors.Ops;

/// <summary>Batch normalisation over dimension 1 of [N, C] or [N, C, H, W], through <see cref="BatchNormKernel"/>.
/// </summary>
/// <remarks>Training mode normalises with batch statistics (biased variance) and, when running buffers are given,
/// updates them in place with PyTorch's rule (unbiased variance) — except while a checkpoint recomputes its
/// function (<see cref="CheckpointOp.IsRecomputing"/>), which must not count the batch twice, and which normalises with
/// the statistics the first forward recorded (<see cref="CheckpointOp.Replaying"/>). Evaluation mode is a
/// per-channel affine map from the running statistics, and its backward is that map's gradient.</remarks>
internal static class BatchNormOp
{
    public static Tensor Forward(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 && x.Rank != 4)
        {
            throw new ArgumentException($"BatchNorm: input must be [N, C] or [N, C, H, W], but has shape {x.Describe()}.");
        }
        int batch = x.Shape[0], channels = x.Shape[1];
        int plane = x.Rank == 4 ? x.Shape[2] * x.Shape[3] : 1;
        CheckChannelVector("weight", weight, channels);
        CheckChannelVector("bias", bias, channels);
        CheckChannelVector("running_mean", runningMean, channels);
        CheckChannelVector("running_var", runningVar, channels);
        if ((runningMean is null) != (runningVar is null))
        {
            throw new ArgumentException("BatchNorm: running_mean and running_var must be given together.");
        }
        if ((weight is null) != (bias is null))
        {
            throw new ArgumentException("BatchNorm: weight and bias must be given together (affine) or both omitted.");
        }
        if (!training && runningMean is null)
        {
            throw new ArgumentException("BatchNorm: evaluation mode needs running_mean and running_var.");
        }
        if (training && batch * plane <= 1)
        {
            throw new ArgumentException(
                $"BatchNorm: training needs more than one value per channel, input has shape {x.Describe()}.");
        }
        var gamma = weight is null ? ReadOnlySpan<float>.Empty : weight.AsReadOnlySpan();
        var beta = bias is null ? ReadOnlySpan<float>.Empty : bias.AsReadOnlySpan();
        var y = Tensor.Empty(x.Shape);
        if (training)
        {
            var saveMean = Tensor.Empty(channels);
            var saveInvStd = Tensor.Empty(channels);
            // A checkpoint's recomputation sees the same batch again: its first (no-grad) forward already moved the
            // running statistics, and moving them twice would change what evaluation mode uses.
            bool updateRunning = runningMean is not null && !CheckpointOp.IsRecomputing;
            if (CheckpointOp.Replaying is { } replay)
            {
                // The same batch again: normalise with the statistics the first forward recorded.
                var recorded = replay.Next<BatchNormChannelStatistics[]>("BatchNorm");
                if (recorded.Length != channels)
                {
                    throw new InvalidOperationException(
                        $"Checkpoint: a recomputed BatchNorm over {channels} channels was handed the statistics of "
                        + $"one over {recorded.Length}; the function must be deterministic.");
                }
                BatchNormKernel.ForwardWithStatistics(batch, channels, plane, x.AsReadOnlySpan(), gamma, beta,
                    recorded, y.AsSpan(), saveMean.AsSpan(), saveInvStd.AsSpan());
            }
            else
            {
                var record = CheckpointOp.Recording;
                var statistics = record is null ? null : new BatchNormChannelStatistics[channels];
                BatchNormKernel.ForwardTraining(batch, channels, plane, x.AsReadOnlySpan(), gamma, beta, y.AsSpan(),
                    saveMean.AsSpan(), saveInvStd.AsSpan(),
                    updateRunning ? runningMean!.AsSpan() : Span<float>.Empty,
                    updateRunning ? runningVar!.AsSpan() : Span<float>.Empty, momentum, eps, statistics);
                if (statistics is not null)
                {
                    record!.Add(statistics);
                }
            }
            if (NeedsGrad(x, weight, bias))
            {
                y.SetGradFn("BatchNorm", Inputs(x, weight, bias),
                    dy => TrainingBackward(batch, channels, plane, x, weight, bias, saveMean, saveInvStd, dy));
            }
        }
        else
        {
            BatchNormKernel.ForwardInference(batch, channels, plane, x.AsReadOnlySpan(), gamma, beta,
                runningMean!.AsReadOnlySpan(), runningVar!.AsReadOnlySpan(), eps, y.AsSpan());
            if (NeedsGrad(x, weight, bias))
            {
                // Capture the statistics now: the buffers may be updated by a later training-mode call.
                var mean = runningMean.Clone();
                var invStd = Tensor.Empty(channels);
                var rv = runningVar!.AsReadOnlySpan();
                var inv = invStd.AsSpan();
                for (int c = 0; c < channels; c++)
                {
                    inv[c] = (float)(1.0 / Math.Sqrt(rv[c] + eps));
                }
                y.SetGradFn("BatchNormEval", Inputs(x, weight, bias),
                    dy => EvalBackward(batch, channels, plane, x, weight, bias, mean, invStd, dy));
            }
        }
        return y;
    }

    private static void TrainingBackward(int batch, int channels, int plane, Tensor x, Tensor? weight, Tensor? bias,
        Tensor saveMean, Tensor saveInvStd, Tensor dy)
    {
        // The kernel overwrites dGamma/dBeta, so they land in scratch and are then added to existing gradients.
        int numel = x.Numel;
        float[]? dxScratch = x.RequiresGrad ? null : BufferPool.Rent(numel);
        var affineScratch = weight is null ? null : BufferPool.Rent(2 * channels);
        bool acc = false;
        var dx = dxScratch is null ? Tensor.GradTarget(x, out acc) : dxScratch.AsSpan(0, numel);
        var dGamma = affineScratch is null ? Span<float>.Empty : affineScratch.AsSpan(0, channels);
        var dBeta = affineScratch is null ? Span<float>.Empty : affineScratch.AsSpan(channels, channels);
        BatchNormKernel.Backward(batch, channels, plane, x.AsReadOnlySpan(), dy.AsReadOnlySpan(),
            weight is null ? ReadOnlySpan<float>.Empty : weight.AsReadOnlySpan(), saveMean.AsReadOnlySpan(),
            saveInvStd.AsReadOnlySpan(), dx, dGamma, dBeta, acc);
        AddAffineGrads(weight, bias, dGamma, dBeta);
        if (dxScratch is not null)
        {
            BufferPool.Return(dxScratch);
        }
        if (affineScratch is not null)
        {
            BufferPool.Return(affineScratch);
        }
    }

    private static void EvalBackward(int batch, int channels, int plane, Tensor x, Tensor? weight, Tensor? bias,
        Tensor mean, Tensor invStd, Tensor dy)
    {
        var g = dy.AsReadOnlySpan();
        var xs = x.AsReadOnlySpan();
        var m = mean.AsReadOnlySpan();
        var inv = invStd.AsReadOnlySpan();
        var gamma = weight is null ? ReadOnlySpan<float>.Empty : weight.AsReadOnlySpan();
        if (x.RequiresGrad)
        {
            var dx = Tensor.GradTarget(x, out bool acc);
            for (int n = 0; n < batch; n++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int o = ((n * channels) + c) * plane;
                    float scale = gamma.IsEmpty ? inv[c] : gamma[c] * inv[c];
                    Accumulate.Scaled(g.Slice(o, plane), scale, dx.Slice(o, plane), acc);
                }
            }
        }
        if (weight is null)
        {
            return;
        }
        var scratch = BufferPool.Rent(2 * channels);
        var dGamma = scratch.AsSpan(0, channels);
        var dBeta = scratch.AsSpan(channels, channels);
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0, sumDyX = 0;
            for (int n = 0; n < batch; n++)
            {
                int o = ((n * channels) + c) * plane;
                var gp = g.Slice(o, plane);
                sumDy += TensorPrimitives.Sum(gp);
                sumDyX += TensorPrimitives.Dot(gp, xs.Slice(o, plane));
            }
            // Σ dy·(x − μ)·invStd = (Σ dy·x − μ·Σ dy)·invStd
            dGamma[c] = (float)((sumDyX - (m[c] * sumDy)) * inv[c]);
            dBeta[c] = (float)sumDy;
        }
        AddAffineGrads(weight, bias, dGamma, dBeta);
        BufferPool.Return(scratch);
    }

    private static void AddAffineGrads(Tensor? weight, Tensor? bias, ReadOnlySpan<float> dGamma,
        ReadOnlySpan<float> dBeta)
    {
        if (weight is not null && weight.RequiresGrad)
        {
            var dw = Tensor.GradTarget(weight, out bool acc);
            Accumulate.Copy(dGamma, dw, acc);
        }
        if (bias is not null && bias.RequiresGrad)
        {
            var db = Tensor.GradTarget(bias, out bool acc);
            Accumulate.Copy(dBeta, db, acc);
        }
    }

    private static bool NeedsGrad(Tensor x, Tensor? weight, Tensor? bias) =>
        Tensor.NeedsGrad(x) || (weight is not null && Tensor.NeedsGrad(weight))
        || (bias is not null && Tensor.NeedsGrad(bias));

    private static Tensor[] Inputs(Tensor x, Tensor? weight, Tensor? bias) =>
        weight is null ? [x] : [x, weight, bias!];

    private static void CheckChannelVector(string argument, Tensor? t, int channels)
    {
        if (t is not null && (t.Rank != 1 || t.Shape[0] != channels))
        {
            throw new ArgumentException(
                $"BatchNorm: {argument} must have shape [{channels}] (one value per input channel), "
                + $"but has shape {t.Describe()}.");
        }
    }
}

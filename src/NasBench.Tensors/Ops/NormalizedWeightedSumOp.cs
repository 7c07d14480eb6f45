using NasBench.Kernels.Cpu;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Ops;

/// <summary><c>Σ_k w_k · norm_k(x_k)</c> where each norm_k is a non-affine <see cref="BatchNorm2d"/> or nothing, on
/// <see cref="NormalizedMixedOpKernel"/>: the same function and gradients as applying each norm and then
/// <see cref="WeightedSumOp"/>, without ever storing the normalised tensors.</summary>
/// <remarks>Each norm behaves as its own <see cref="BatchNorm2d.Forward"/> would: batch statistics in training mode
/// (or without running buffers), updating the running buffers with PyTorch's rule except while a checkpoint
/// recomputes (<see cref="CheckpointOp.IsRecomputing"/>), whose forward takes the batch statistics the first one
/// recorded (<see cref="CheckpointOp.Replaying"/>); the running statistics as constants in evaluation mode.
/// An optional addend (a cell node's running sum) is added to the output, its gradient being dy; with
/// <c>gradientOnly</c> under a replaying recomputation no pass runs at all, since nothing reads the values of the
/// output a checkpoint recomputes, only its backward.
/// </remarks>
internal static class NormalizedWeightedSumOp
{
    /// <param name="addend">Added to the output (its shape), or null.</param>
    /// <param name="gradientOnly">The caller never reads the output's values, only backpropagates through it: where
    /// the statistics are replayed the values are left unwritten.</param>
    public static Tensor Forward(IReadOnlyList<Tensor> xs, Tensor weights, IReadOnlyList<BatchNorm2d?> norms,
        Tensor? addend = null, bool gradientOnly = false)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(norms);
        const string Op = "NormalizedWeightedSum";
        if (xs.Count == 0)
        {
            throw new ArgumentException($"{Op}: needs at least one input.");
        }
        if (norms.Count != xs.Count)
        {
            throw new ArgumentException($"{Op}: {xs.Count} inputs but {norms.Count} norms (null for none).");
        }
        ShapeChecks.Rank(Op, "weights", weights, 1, "[K]");
        ShapeChecks.Dim(Op, "weights", weights, 0, xs.Count, "length (number of inputs K)");
        var first = xs[0];
        if (first.Rank != 4)
        {
            throw new ArgumentException($"{Op}: inputs must be [N, C, H, W], but input 0 has shape {first.Describe()}.");
        }
        int k = xs.Count, batch = first.Shape[0], channels = first.Shape[1], plane = first.Shape[2] * first.Shape[3];
        if (addend is not null && !addend.Shape.SequenceEqual(first.Shape))
        {
            throw new ArgumentException(
                $"{Op}: the addend has shape {addend.Describe()}, expected {first.Describe()} like input 0.");
        }
        var inputs = new Tensor[addend is null ? k + 1 : k + 2];
        var buffers = new ArraySegment<float>[k];
        var batchStats = new bool[k];
        var eps = new float[k];
        var mean = new float[k * channels];
        var invStd = new float[k * channels];
        var variance = new float[k * channels];
        bool needsGrad = Tensor.NeedsGrad(weights) || (addend is not null && Tensor.NeedsGrad(addend));
        for (int j = 0; j < k; j++)
        {
            var t = xs[j];
            if (!t.Shape.SequenceEqual(first.Shape))
            {
                throw new ArgumentException(
                    $"{Op}: input {j} has shape {t.Describe()}, expected {first.Describe()} like input 0.");
            }
            inputs[j] = t;
            buffers[j] = t.AsSegment();
            needsGrad |= Tensor.NeedsGrad(t);
            ConstantsOf(Op, j, norms[j], channels, batch * plane, batchStats, eps, mean, invStd);
        }
        inputs[k] = weights;
        if (addend is not null)
        {
            inputs[k + 1] = addend;
        }
        var y = Tensor.Empty(first.Shape);
        // Which norms the kernel computes statistics for: none when a checkpoint's recomputation replays them.
        var compute = batchStats;
        var replay = CheckpointOp.Replaying;
        if (replay is not null)
        {
            var recorded = replay.Next<RecordedStatistics>(Op);
            if (recorded.Mean.Length != mean.Length)
            {
                throw new InvalidOperationException(
                    $"Checkpoint: a recomputed {Op} of {k}×{channels} norms was handed the statistics of "
                    + $"{recorded.Mean.Length}; the function must be deterministic.");
            }
            recorded.Mean.CopyTo(mean, 0);
            recorded.InvStd.CopyTo(invStd, 0);
            compute = new bool[k];
        }
        if (!(gradientOnly && replay is not null))
        {
            NormalizedMixedOpKernel.Forward(batch, channels, plane, weights.AsReadOnlySpan(), buffers, compute, eps,
                mean, invStd, variance, addend is null ? [] : addend.AsReadOnlySpan(), y.AsSpan());
        }
        if (CheckpointOp.Recording is { } record)
        {
            // Neither array changes after this (backward only reads them), so the log can share them.
            record.Add(new RecordedStatistics(mean, invStd));
        }
        UpdateRunningStatistics(norms, batchStats, mean, variance, channels, batch * plane);
        if (needsGrad)
        {
            y.SetGradFn(Op, inputs, dy =>
            {
                var dInputs = new ArraySegment<float>[k];
                var accumulate = new bool[k];
                for (int j = 0; j < k; j++)
                {
                    buffers[j] = inputs[j].AsSegment();
                    if (inputs[j].RequiresGrad)
                    {
                        Tensor.GradTarget(inputs[j], out accumulate[j]);
                        dInputs[j] = inputs[j].Grad!.AsSegment();
                    }
                }
                Span<float> dots = stackalloc float[k];
                NormalizedMixedOpKernel.Backward(batch, channels, plane, weights.AsReadOnlySpan(), buffers, batchStats,
                    mean, invStd, dy.AsReadOnlySpan(), dInputs, accumulate, dots);
                if (weights.RequiresGrad)
                {
                    var dw = Tensor.GradTarget(weights, out bool acc);
                    Accumulate.Copy(dots, dw, acc);
                }
                if (addend is { RequiresGrad: true })
                {
                    var da = Tensor.GradTarget(addend, out bool acc);
                    Accumulate.Copy(dy.AsReadOnlySpan(), da, acc);
                }
            });
        }
        return y;
    }

    /// <summary>What a checkpoint's first forward hands its recomputation: every norm's mean and 1/σ as the kernel
    /// used them ([K·C] each).</summary>
    private sealed record RecordedStatistics(float[] Mean, float[] InvStd);

    /// <summary>Fills candidate j's kind and constants: no norm → μ = 0, σ = 1; batch statistics → computed by the
    /// kernel; evaluation mode → μ and σ from the running buffers.</summary>
    private static void ConstantsOf(string op, int j, BatchNorm2d? norm, int channels, int perChannel,
        bool[] batchStats, float[] eps, float[] mean, float[] invStd)
    {
        var m = mean.AsSpan(j * channels, channels);
        var s = invStd.AsSpan(j * channels, channels);
        if (norm is null)
        {
            m.Clear();
            s.Fill(1f);
            eps[j] = 0f;
            return;
        }
        if (norm.Weight is not null)
        {
            throw new ArgumentException($"{op}: norm {j} is affine; only non-affine batch norms can be folded in.");
        }
        if (norm.NumFeatures != channels)
        {
            throw new ArgumentException(
                $"{op}: norm {j} has {norm.NumFeatures} features, but the inputs have {channels} channels.");
        }
        eps[j] = norm.Eps;
        batchStats[j] = norm.IsTraining || norm.RunningMean is null;
        if (batchStats[j])
        {
            if (perChannel <= 1)
            {
                throw new ArgumentException(
                    $"{op}: training-mode norm {j} needs more than one value per channel, got {perChannel}.");
            }
            return;
        }
        norm.RunningMean!.AsReadOnlySpan().CopyTo(m);
        var rv = norm.RunningVar!.AsReadOnlySpan();
        for (int c = 0; c < channels; c++)
        {
            s[c] = (float)(1.0 / Math.Sqrt(rv[c] + (double)norm.Eps));
        }
    }

    /// <summary><see cref="BatchNormKernel.UpdateRunning"/> per channel, as the layer would; skipped while a checkpoint
    /// recomputes, which must not count the batch twice.</summary>
    private static void UpdateRunningStatistics(IReadOnlyList<BatchNorm2d?> norms, bool[] batchStats, float[] mean,
        float[] variance, int channels, int count)
    {
        if (CheckpointOp.IsRecomputing)
        {
            return;
        }
        for (int j = 0; j < norms.Count; j++)
        {
            if (!batchStats[j] || norms[j] is not { RunningMean: { } runningMean, RunningVar: { } runningVar } norm)
            {
                continue;
            }
            var rm = runningMean.AsSpan();
            var rv = runningVar.AsSpan();
            for (int c = 0; c < channels; c++)
            {
                int at = (j * channels) + c;
                BatchNormKernel.UpdateRunning(ref rm[c], ref rv[c], mean[at], variance[at], count, norm.Momentum);
            }
        }
    }
}

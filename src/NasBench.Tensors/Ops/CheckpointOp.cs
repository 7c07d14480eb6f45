using NasBench.Tensors.Autograd;

namespace NasBench.Tensors.Ops;

/// <summary>Activation recomputation (PyTorch's <c>torch.utils.checkpoint</c>): the forward keeps only a function's
/// inputs and output, and the backward runs the function again with the tape on to get its intermediates.</summary>
/// <remarks>
/// Forward: the function runs under no-grad inside a nested <see cref="TensorScope"/>, so its intermediates go back to
/// the pool as soon as it returns (still hot in cache for whatever runs next); the output is moved to the caller's
/// scope and gets one tape node whose inputs are the function's inputs.
/// Backward: the function runs again on detached copies of the inputs (sharing their storage, with RequiresGrad as
/// the originals), a nested <see cref="Tensor.Backward(Tensor)"/> pushes the output gradient through that fresh graph
/// — parameters used inside accumulate into their own <see cref="Tensor.Grad"/> as usual — the copies' gradients are
/// added to the real inputs' gradients, and everything recomputed goes back to the pool.
/// The function must be deterministic (no random draws, no reads of state it changes): batch normalisation is, because
/// <see cref="BatchNormOp"/> leaves its running statistics alone while <see cref="IsRecomputing"/> is set.
/// The batch norms of the first forward also record their batch statistics in a <see cref="BatchStatisticsLog"/>, and
/// the recomputation normalises with those instead of computing them again: a pass over every normalised tensor saved.
/// The function's second argument is false in the first forward and true in the recomputation, whose output values
/// nobody reads (only its gradient function runs), so its last op may skip writing them.
/// Only the outermost checkpoint keeps a log; a checkpoint nested in another one's function records into (and replays
/// from) the outer log while that function runs, and its own recomputation computes its statistics afresh.
/// </remarks>
internal static class CheckpointOp
{
    [ThreadStatic]
    private static int _recomputeDepth;

    /// <summary>True while a checkpoint's backward re-runs its function on this thread: state updates that the first
    /// forward already made (batch-norm running statistics) must be skipped.</summary>
    public static bool IsRecomputing => _recomputeDepth > 0;

    [ThreadStatic]
    private static BatchStatisticsLog? _recording;

    [ThreadStatic]
    private static BatchStatisticsLog? _replaying;

    /// <summary>The log this thread's training-mode batch norms append their statistics to, or null.</summary>
    public static BatchStatisticsLog? Recording => _recording;

    /// <summary>The log this thread's training-mode batch norms take their statistics from, or null.</summary>
    public static BatchStatisticsLog? Replaying => _replaying;

    public static Tensor Forward(Func<Tensor[], bool, Tensor> function, Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), $"Checkpoint: input {i} of {inputs.Length} is null.");
            }
        }
        // With the tape on, the node is recorded even when no input requires grad: parameters used inside the
        // function do, and the first (no-grad) pass cannot see them.
        bool record = GradMode.IsEnabled;
        var log = record && _recording is null && _replaying is null ? new BatchStatisticsLog() : null;
        var output = RunWithoutTape(function, inputs, log);
        if (record)
        {
            var saved = (Tensor[])inputs.Clone();
            int[] shape = output.Shape.ToArray();
            output.SetGradFn("Checkpoint", saved, dy => Backward(function, saved, shape, dy, log));
        }
        return output;
    }

    private static Tensor RunWithoutTape(Func<Tensor[], bool, Tensor> function, Tensor[] inputs,
        BatchStatisticsLog? log)
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        if (log is not null)
        {
            _recording = log;
        }
        Tensor y;
        try
        {
            y = function(inputs, false) ?? throw new InvalidOperationException(
                "Checkpoint: the function returned null.");
        }
        finally
        {
            if (log is not null)
            {
                _recording = null;
            }
        }
        if (!ReferenceEquals(y.Scope, scope))
        {
            // An input passed through (identity) or a tensor the function does not own: the node needs a tensor of
            // its own, since recording on an input would overwrite that input's place in the tape.
            y = y.Clone();
        }
        return y.MoveToOuterScope();
    }

    private static void Backward(Func<Tensor[], bool, Tensor> function, Tensor[] inputs, int[] shape, Tensor dy,
        BatchStatisticsLog? log)
    {
        int gradDepth = GradMode.Suspend();
        _recomputeDepth++;
        try
        {
            using var scope = TensorScope.Enter();
            var detached = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                detached[i] = inputs[i].Detach().RequireGrad(inputs[i].RequiresGrad);
            }
            var y = Recompute(function, detached, log);
            if (!y.Shape.SequenceEqual(shape))
            {
                throw new InvalidOperationException(
                    $"Checkpoint: the recomputed output has shape {y.ShapeString}, but the first forward gave "
                    + $"{ShapeChecks.Format(shape)}; the function must be deterministic.");
            }
            if (!y.RequiresGrad)
            {
                // Nothing inside requires grad (frozen parameters, inputs without grad): nothing to propagate.
                return;
            }
            // An input's gradient so far moves to its copy, so the recomputed graph's kernels accumulate straight into
            // it (as they would without the checkpoint) instead of into a fresh buffer added afterwards.
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].RequiresGrad && inputs[i].Grad is { } existing)
                {
                    detached[i].Grad = existing;
                    inputs[i].Grad = null;
                }
            }
            try
            {
                y.BackwardBorrowing(dy);
            }
            finally
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    if (inputs[i].RequiresGrad && detached[i].Grad is { } g)
                    {
                        AddGradient(inputs[i], detached[i], g);
                    }
                }
            }
        }
        finally
        {
            _recomputeDepth--;
            GradMode.Resume(gradDepth);
        }
    }

    /// <summary>Runs the function again with <paramref name="log"/> (if any) replaying the first forward's batch
    /// statistics, and checks that it took all of them.</summary>
    private static Tensor Recompute(Func<Tensor[], bool, Tensor> function, Tensor[] inputs, BatchStatisticsLog? log)
    {
        var (outerRecording, outerReplaying) = (_recording, _replaying);
        _recording = null;
        _replaying = log;
        log?.Rewind();
        Tensor y;
        try
        {
            y = function(inputs, true) ?? throw new InvalidOperationException(
                "Checkpoint: the function returned null when it was recomputed.");
        }
        finally
        {
            (_recording, _replaying) = (outerRecording, outerReplaying);
        }
        if (log is not null && log.Replayed != log.Count)
        {
            throw new InvalidOperationException(
                $"Checkpoint: the first forward ran {log.Count} batch norms in training mode, the recomputation "
                + $"{log.Replayed}; the function must be deterministic.");
        }
        return y;
    }

    private static void AddGradient(Tensor input, Tensor copy, Tensor g)
    {
        if (input.Grad is null)
        {
            // Hand the buffer over instead of copying it; only an input passed twice gets here with a gradient.
            copy.Grad = null;
            input.Grad = g;
            return;
        }
        Accumulate.Copy(g.AsReadOnlySpan(), Tensor.GradTarget(input, out _), accumulate: true);
    }
}

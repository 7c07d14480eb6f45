using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

/// <summary>Activation recomputation, like PyTorch's <c>torch.utils.checkpoint</c>: trades one extra forward of a
/// block in the backward pass for not keeping the block's intermediates between forward and backward.</summary>
/// <remarks>Named apart from run checkpoints (saved training state), which it has nothing to do with.</remarks>
/// <example>
/// <code>
/// var h = ActivationCheckpoint.Run(xs => block.Forward(xs[0]), x);   // only x and h stay alive until backward
/// </code>
/// </example>
public static class ActivationCheckpoint
{
    /// <summary>Runs <paramref name="function"/> on <paramref name="inputs"/>, keeping only the inputs and the
    /// output for backward.</summary>
    /// <param name="function">Maps the inputs (in order) to one output; it must be deterministic — the same values
    /// when run again on the same inputs — and must not keep references to the intermediates it creates. It may read
    /// parameters that are not among the inputs: their gradients accumulate as without a checkpoint. Batch-norm
    /// running statistics are updated by the first run only.</param>
    /// <param name="inputs">Tensors the function reads that may carry gradient (activations, architecture weights).
    /// </param>
    /// <returns>The function's output, owned by the caller's <see cref="TensorScope"/>; with the tape on it carries
    /// one <c>Checkpoint</c> node.</returns>
    /// <remarks>The intermediates of the first run go back to the pool when it returns (also under
    /// <see cref="Tensor.NoGrad"/>). In backward the function runs again with the tape on; its intermediates and their
    /// gradients are returned to the pool as soon as its gradients are out.</remarks>
    public static Tensor Run(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        return CheckpointOp.Forward((xs, _) => function(xs), inputs);
    }

    /// <summary>As <see cref="Run(Func{Tensor[], Tensor}, Tensor[])"/>, but the function's second argument says
    /// whether this run is the recomputation in backward.</summary>
    /// <remarks>Why: nothing reads the recomputed output's values, only its backward, so the function's last op
    /// may leave them unwritten (<see cref="Functional.NormalizedWeightedSum"/> with <c>gradientOnly</c>): for a
    /// DARTS edge that is a pass reading its seven candidates. Ops whose outputs feed other ops must compute them as
    /// usual.</remarks>
    public static Tensor Run(Func<Tensor[], bool, Tensor> function, params Tensor[] inputs) =>
        CheckpointOp.Forward(function, inputs);
}

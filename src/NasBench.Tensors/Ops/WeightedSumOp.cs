using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>The DARTS mixed-op sum <c>y = Σ_k w_k · x_k</c> over K same-shaped candidates and its backward
/// (<c>dx_k = w_k · dy</c>, <c>dw_k = ⟨x_k, dy⟩</c>).</summary>
/// <remarks>
/// <see cref="ForwardKernel"/> and <see cref="BackwardKernel"/> are the only two places that compute; they have the
/// shape of the coming <c>MixedOpKernel.Forward/Backward</c> (weights, candidate buffers, output or dy, per-candidate
/// gradient targets, dWeights, accumulate), so switching to that kernel is a change to these two bodies. Candidate
/// buffers are passed as segments of pooled arrays (each tensor's data starts on a cache line inside its array).
/// </remarks>
internal static class WeightedSumOp
{
    public static Tensor Forward(IReadOnlyList<Tensor> xs, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(weights);
        if (xs.Count == 0)
        {
            throw new ArgumentException("WeightedSum: needs at least one input.");
        }
        ShapeChecks.Rank("WeightedSum", "weights", weights, 1, "[K]");
        ShapeChecks.Dim("WeightedSum", "weights", weights, 0, xs.Count, "length (number of inputs K)");
        var first = xs[0];
        var inputs = new Tensor[xs.Count + 1];
        var buffers = new ArraySegment<float>[xs.Count];
        bool needsGrad = Tensor.NeedsGrad(weights);
        for (int k = 0; k < xs.Count; k++)
        {
            var t = xs[k];
            if (!t.Shape.SequenceEqual(first.Shape))
            {
                throw new ArgumentException(
                    $"WeightedSum: input {k} has shape {t.Describe()}, expected {first.Describe()} like input 0.");
            }
            inputs[k] = t;
            buffers[k] = t.AsSegment();
            needsGrad |= Tensor.NeedsGrad(t);
        }
        inputs[^1] = weights;
        var y = Tensor.Empty(first.Shape);
        ForwardKernel(weights.AsReadOnlySpan(), buffers, y.AsSpan());
        if (needsGrad)
        {
            y.SetGradFn("WeightedSum", inputs, dy =>
            {
                for (int k = 0; k < buffers.Length; k++)
                {
                    buffers[k] = inputs[k].AsSegment();
                }
                var dInputs = new ArraySegment<float>[xs.Count];
                var accumulateInput = new bool[xs.Count];
                for (int k = 0; k < xs.Count; k++)
                {
                    var t = inputs[k];
                    if (t.RequiresGrad)
                    {
                        // The kernel takes one accumulate flag for all targets: fresh gradients are zeroed first.
                        Tensor.GradAccumulator(t);
                        dInputs[k] = t.Grad!.AsSegment();
                    }
                }
                if (weights.RequiresGrad)
                {
                    var dw = Tensor.GradAccumulator(weights);
                    BackwardKernel(weights.AsReadOnlySpan(), buffers, dy.AsReadOnlySpan(), dInputs, dw, true);
                }
                else
                {
                    BackwardKernel(weights.AsReadOnlySpan(), buffers, dy.AsReadOnlySpan(), dInputs, Span<float>.Empty,
                        true);
                }
            });
        }
        return y;
    }

    /// <summary>output = Σ_k weights[k] · inputs[k][..output.Length], on the fused one-pass kernel.</summary>
    internal static void ForwardKernel(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        Span<float> output) =>
        MixedOpKernel.Forward(weights, inputs, output);

    /// <summary>dInputs[k] (= or +=) weights[k]·dy for non-null targets; dWeights[k] (= or +=) ⟨inputs[k], dy⟩ when
    /// dWeights is not empty.</summary>
    /// <remarks>The kernel always overwrites its weight gradients, so they land in a stack buffer first and are added
    /// here; that keeps the engine's accumulate semantics for α used by several cells.</remarks>
    internal static void BackwardKernel(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        ReadOnlySpan<float> dy, IReadOnlyList<ArraySegment<float>> dInputs, Span<float> dWeights, bool accumulate)
    {
        Span<float> dots = stackalloc float[inputs.Count];
        MixedOpKernel.Backward(weights, inputs, dy, dInputs, dots, accumulate);
        if (dWeights.IsEmpty)
        {
            return;
        }
        for (int k = 0; k < dots.Length; k++)
        {
            dWeights[k] = accumulate ? dWeights[k] + dots[k] : dots[k];
        }
    }
}

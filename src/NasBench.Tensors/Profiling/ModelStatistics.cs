using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Profiling;

/// <summary>Size and compute of a model: parameter counts and forward multiply-accumulates per sample.</summary>
/// <param name="Parameters">Elements of every parameter (trainable or not).</param>
/// <param name="TrainableParameters">Elements of the parameters that require gradients.</param>
/// <param name="BufferElements">Elements of the buffers (batch-norm running statistics); not parameters.</param>
/// <param name="MacsPerSample">Forward multiply-accumulates for one input sample (see <see cref="MacCounter"/>).</param>
/// <param name="InputShape">The per-sample input shape measured, e.g. [1, 28, 28].</param>
/// <param name="TrainingMode">Whether the forward pass ran in training mode (auxiliary heads, drop-path).</param>
public sealed record ModelStatistics(
    long Parameters, long TrainableParameters, long BufferElements, long MacsPerSample, IReadOnlyList<int> InputShape,
    bool TrainingMode)
{
    /// <summary>Counts <paramref name="module"/>'s parameters and runs one no-grad forward pass of a zero batch of
    /// <paramref name="batch"/> samples of shape <paramref name="inputShape"/> (without the batch dimension) to count
    /// its multiply-accumulates.</summary>
    /// <param name="module">The model; its train/eval mode is restored afterwards (set on every descendant to the
    /// root's previous mode), and so are its buffers when <paramref name="trainingMode"/> lets batch norm update
    /// running statistics.</param>
    /// <param name="inputShape">Per-sample shape, e.g. [C, H, W].</param>
    /// <param name="trainingMode">False (the default): inference MACs, as reported in papers. True: the training
    /// forward pass, which includes auxiliary heads.</param>
    /// <param name="batch">Samples in the measured batch; MACs are divided by it (every counted op is linear in the
    /// batch, so any batch gives the same per-sample figure).</param>
    public static ModelStatistics Measure(Module<Tensor, Tensor> module, ReadOnlySpan<int> inputShape,
        bool trainingMode = false, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (inputShape.Length == 0)
        {
            throw new ArgumentException("ModelStatistics: the input shape must have at least one dimension, got [].",
                nameof(inputShape));
        }
        foreach (int d in inputShape)
        {
            if (d <= 0)
            {
                throw new ArgumentException(
                    $"ModelStatistics: input dimensions must be positive, got {ShapeChecks.Format(inputShape)}.",
                    nameof(inputShape));
            }
        }
        long parameters = 0, trainable = 0, buffers = 0;
        foreach (var p in module.Parameters())
        {
            parameters += p.Numel;
            trainable += p.RequiresGrad ? p.Numel : 0;
        }
        foreach (var b in module.Buffers())
        {
            buffers += b.Numel;
        }
        int[] shape = [batch, .. inputShape];
        bool wasTraining = module.IsTraining;
        // Training-mode batch norm updates running statistics: keep copies so measuring leaves the model unchanged.
        var saved = trainingMode ? module.NamedBuffers().Select(b => (b.Buffer, b.Buffer.ToArray())).ToList() : null;
        long macs;
        try
        {
            module.Train(trainingMode);
            using var scope = TensorScope.Enter();
            using var noGrad = Tensor.NoGrad();
            using var counter = MacCounter.Start();
            module.Forward(Tensor.Zeros(shape));
            macs = counter.Total;
        }
        finally
        {
            module.Train(wasTraining);
            if (saved is not null)
            {
                foreach (var (buffer, values) in saved)
                {
                    values.CopyTo(buffer.AsSpan());
                }
            }
        }
        return new ModelStatistics(parameters, trainable, buffers, macs / batch, inputShape.ToArray(), trainingMode);
    }
}

using System.Runtime.InteropServices;
using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>Mean softmax cross-entropy of [N, C] logits against N integer labels, through
/// <see cref="LossKernel"/>.</summary>
internal static class CrossEntropyOp
{
    public static Tensor Forward(Tensor logits, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeChecks.Rank("CrossEntropy", "logits", logits, 2, "[N, classes]");
        int rows = logits.Shape[0], cols = logits.Shape[1];
        if (labels.Length != rows)
        {
            throw new ArgumentException(
                $"CrossEntropy: expected {rows} labels (one per row of logits {logits.Describe()}), got {labels.Length}.");
        }
        if (rows == 0)
        {
            throw new ArgumentException("CrossEntropy: the batch is empty.");
        }
        var probabilities = Tensor.Empty(rows, cols);
        // Labels are copied into a pooled buffer (int32 bits in a float tensor) so backward can run after the
        // caller's span is gone, without allocating.
        var savedLabels = Tensor.Empty(rows);
        var labelSpan = MemoryMarshal.Cast<float, int>(savedLabels.AsSpan());
        labels.CopyTo(labelSpan);
        double loss;
        try
        {
            loss = LossKernel.CrossEntropyForward(rows, cols, logits.AsReadOnlySpan(), labelSpan, probabilities.AsSpan());
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(
                $"CrossEntropy: {e.Message} (logits {logits.Describe()} have {cols} classes).", e);
        }
        var y = Tensor.Scalar((float)loss);
        if (Tensor.NeedsGrad(logits))
        {
            y.SetGradFn("CrossEntropy", [logits], dy =>
            {
                var dx = Tensor.GradTarget(logits, out bool acc);
                LossKernel.CrossEntropyBackward(rows, cols, probabilities.AsReadOnlySpan(),
                    MemoryMarshal.Cast<float, int>(savedLabels.AsReadOnlySpan()), dy.AsReadOnlySpan()[0], dx, acc);
            });
        }
        return y;
    }
}

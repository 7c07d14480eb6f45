using System.Numerics.Tensors;

namespace NasBench.Kernels.Cpu;

/// <summary>Row-wise softmax, log-softmax and softmax cross-entropy over a [rows, cols] matrix of logits.</summary>
public static class LossKernel
{
    /// <summary>y = exp(x − max) / Σ exp(x − max) per row, stable for large logits.</summary>
    public static void SoftmaxRows(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            StableSoftmax(x.Slice(r * cols, cols), y.Slice(r * cols, cols));
        }
    }

    /// <summary>y = x − max − log Σ exp(x − max), stable for large logits.</summary>
    public static void LogSoftmaxRows(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            var outRow = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, outRow);
            double sum = 0;
            foreach (float v in outRow)
            {
                sum += Math.Exp(v);
            }
            TensorPrimitives.Subtract(outRow, (float)Math.Log(sum), outRow);
        }
    }

    /// <summary>Mean cross-entropy of softmax(logits) against integer labels; writes the probabilities for backward.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label lies outside [0, cols).</exception>
    public static double CrossEntropyForward(int rows, int cols, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels,
        Span<float> probabilities)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            if ((uint)label >= (uint)cols)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label,
                    $"Label at row {r} must lie in [0, {cols}).");
            }
            var row = logits.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(row);
            double sum = 0;
            foreach (float v in row)
            {
                sum += Math.Exp(v - max);
            }
            total += Math.Log(sum) + max - row[label];
            StableSoftmax(row, probabilities.Slice(r * cols, cols));
        }
        return total / rows;
    }

    /// <summary>dlogits (= or +=) scale·(p − onehot(label)) / rows, the gradient of the mean loss times scale.</summary>
    public static void CrossEntropyBackward(int rows, int cols, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<int> labels, float scale, Span<float> dLogits, bool accumulate)
    {
        float k = scale / rows;
        for (int r = 0; r < rows; r++)
        {
            var p = probabilities.Slice(r * cols, cols);
            var d = dLogits.Slice(r * cols, cols);
            if (accumulate)
            {
                TensorPrimitives.MultiplyAdd(p, k, d, d);
            }
            else
            {
                TensorPrimitives.Multiply(p, k, d);
            }
            d[labels[r]] -= k;
        }
    }

    /// <summary>Softmax with the row max subtracted first. <see cref="TensorPrimitives.SoftMax{T}"/> exponentiates the
    /// raw logits, so any logit above ~88 overflows to ∞ and the row turns into NaN.</summary>
    private static void StableSoftmax(ReadOnlySpan<float> row, Span<float> output)
    {
        float max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, output);
        TensorPrimitives.Exp(output, output);
        TensorPrimitives.Divide(output, TensorPrimitives.Sum((ReadOnlySpan<float>)output), output);
    }
}

using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>Softmax and log-softmax over the last dimension through <see cref="LossKernel"/>.</summary>
/// <remarks>Backward, per row: softmax dx = y ⊙ (dy − ⟨dy, y⟩); log-softmax dx = dy − exp(y)·Σdy.</remarks>
internal static class SoftmaxOp
{
    public static Tensor Softmax(Tensor x) => Forward(x, log: false);

    public static Tensor LogSoftmax(Tensor x) => Forward(x, log: true);

    private static Tensor Forward(Tensor x, bool log)
    {
        ArgumentNullException.ThrowIfNull(x);
        string op = log ? "LogSoftmax" : "Softmax";
        if (x.Rank < 1 || x.Shape[^1] == 0)
        {
            throw new ArgumentException($"{op}: input must have a non-empty last dimension, got {x.Describe()}.");
        }
        int cols = x.Shape[^1], rows = x.Numel / cols;
        var y = Tensor.Empty(x.Shape);
        if (log)
        {
            LossKernel.LogSoftmaxRows(rows, cols, x.AsReadOnlySpan(), y.AsSpan());
        }
        else
        {
            LossKernel.SoftmaxRows(rows, cols, x.AsReadOnlySpan(), y.AsSpan());
        }
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn(op, [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                var g = dy.AsReadOnlySpan();
                var ys = y.AsReadOnlySpan();
                for (int r = 0; r < rows; r++)
                {
                    var gr = g.Slice(r * cols, cols);
                    var yr = ys.Slice(r * cols, cols);
                    var dr = dx.Slice(r * cols, cols);
                    if (log)
                    {
                        float sum = TensorPrimitives.Sum(gr);
                        for (int j = 0; j < cols; j++)
                        {
                            float v = gr[j] - (MathF.Exp(yr[j]) * sum);
                            dr[j] = acc ? dr[j] + v : v;
                        }
                    }
                    else
                    {
                        float dot = TensorPrimitives.Dot(gr, yr);
                        for (int j = 0; j < cols; j++)
                        {
                            float v = yr[j] * (gr[j] - dot);
                            dr[j] = acc ? dr[j] + v : v;
                        }
                    }
                }
            });
        }
        return y;
    }
}

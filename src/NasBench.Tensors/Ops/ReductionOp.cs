using System.Numerics.Tensors;

namespace NasBench.Tensors.Ops;

/// <summary>Full reductions to a scalar: sum and mean (summed in double so long tensors keep their precision).</summary>
internal static class ReductionOp
{
    public static Tensor Sum(Tensor x) => Reduce(x, mean: false);

    public static Tensor Mean(Tensor x) => Reduce(x, mean: true);

    private static Tensor Reduce(Tensor x, bool mean)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (mean && x.Numel == 0)
        {
            throw new ArgumentException($"Mean: input {x.Describe()} is empty.");
        }
        double sum = 0;
        foreach (float v in x.AsReadOnlySpan())
        {
            sum += v;
        }
        float scale = mean ? 1f / x.Numel : 1f;
        var y = Tensor.Scalar((float)(sum * scale));
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn(mean ? "Mean" : "Sum", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                Accumulate.Fill(dy.AsReadOnlySpan()[0] * scale, dx, acc);
            });
        }
        return y;
    }

    /// <summary>Squared L2 norm without autograd (gradient clipping, diagnostics).</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x) => TensorPrimitives.Dot(x, x);
}

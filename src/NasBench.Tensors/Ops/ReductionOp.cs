using System.Numerics.Tensors;

namespace NasBench.Tensors.Ops;

/// <summary>Full reductions to a scalar: sum and mean (float SIMD sums over short blocks, added up in double so long
/// tensors keep their precision).</summary>
internal static class ReductionOp
{
    /// <summary>Elements per float partial sum: short enough that float rounding stays near one ulp of the block
    /// sum, long enough to run at vector speed (a scalar double loop took 2.4 ms on 800 k floats — as long as the
    /// op it was summing).</summary>
    private const int BlockLength = 4096;

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
        var data = x.AsReadOnlySpan();
        for (int i = 0; i < data.Length; i += BlockLength)
        {
            sum += TensorPrimitives.Sum(data.Slice(i, Math.Min(BlockLength, data.Length - i)));
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

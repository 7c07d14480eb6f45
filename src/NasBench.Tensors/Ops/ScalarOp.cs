using System.Numerics.Tensors;

namespace NasBench.Tensors.Ops;

/// <summary>y = a·x + b with scalar a and b (covers scalar multiply, scalar add and negation).</summary>
internal static class ScalarOp
{
    public static Tensor Affine(Tensor x, float scale, float shift, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Empty(x.Shape);
        if (shift == 0f)
        {
            TensorPrimitives.Multiply(x.AsReadOnlySpan(), scale, y.AsSpan());
        }
        else
        {
            TensorPrimitives.Multiply(x.AsReadOnlySpan(), scale, y.AsSpan());
            TensorPrimitives.Add(y.AsSpan(), shift, y.AsSpan());
        }
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn(op, [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                Accumulate.Scaled(dy.AsReadOnlySpan(), scale, dx, acc);
            });
        }
        return y;
    }
}

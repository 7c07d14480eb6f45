using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

public partial class Tensor
{
    /// <summary>Element-wise sum; <paramref name="other"/> may be a per-channel vector ([C] or [1, C, 1, 1]).</summary>
    public Tensor Add(Tensor other) => ArithmeticOp.Add(this, other);

    /// <summary>Element-wise difference; either side may be a per-channel vector.</summary>
    public Tensor Sub(Tensor other) => ArithmeticOp.Subtract(this, other);

    /// <summary>Element-wise product; either side may be a per-channel vector.</summary>
    public Tensor Mul(Tensor other) => ArithmeticOp.Multiply(this, other);

    /// <summary>this · scalar.</summary>
    public Tensor Mul(float scalar) => ScalarOp.Affine(this, scalar, 0f, "MulScalar");

    /// <summary>this + scalar.</summary>
    public Tensor Add(float scalar) => ScalarOp.Affine(this, 1f, scalar, "AddScalar");

    /// <summary>Sum of all elements, as a scalar tensor.</summary>
    public Tensor Sum() => ReductionOp.Sum(this);

    /// <summary>Mean of all elements, as a scalar tensor.</summary>
    public Tensor Mean() => ReductionOp.Mean(this);

    /// <summary>[M, K] · [K, N] → [M, N].</summary>
    public Tensor MatMul(Tensor other) => MatMulOp.MatMul(this, other);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => ReluOp.Forward(this);

    /// <summary>Softmax over the last dimension.</summary>
    public Tensor Softmax() => SoftmaxOp.Softmax(this);

    /// <summary>Log-softmax over the last dimension.</summary>
    public Tensor LogSoftmax() => SoftmaxOp.LogSoftmax(this);

    /// <summary>Index of the largest value in each row of the last dimension (no autograd).</summary>
    public int[] ArgMaxRows()
    {
        int cols = Shape[^1], rows = Numel / cols;
        var result = new int[rows];
        var data = AsReadOnlySpan();
        for (int r = 0; r < rows; r++)
        {
            result[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(data.Slice(r * cols, cols));
        }
        return result;
    }

    public static Tensor operator +(Tensor a, Tensor b) => ArithmeticOp.Add(a, b);

    public static Tensor operator -(Tensor a, Tensor b) => ArithmeticOp.Subtract(a, b);

    public static Tensor operator *(Tensor a, Tensor b) => ArithmeticOp.Multiply(a, b);

    public static Tensor operator *(Tensor a, float s) => ScalarOp.Affine(a, s, 0f, "MulScalar");

    public static Tensor operator *(float s, Tensor a) => ScalarOp.Affine(a, s, 0f, "MulScalar");

    public static Tensor operator +(Tensor a, float s) => ScalarOp.Affine(a, 1f, s, "AddScalar");

    public static Tensor operator -(Tensor a, float s) => ScalarOp.Affine(a, 1f, -s, "AddScalar");

    public static Tensor operator -(Tensor a) => ScalarOp.Affine(a, -1f, 0f, "Neg");
}

using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

public partial class Tensor
{
    /// <summary>The same elements in a new shape (one dimension may be −1), sharing storage.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape) => ShapeOp.Reshape(this, shape);

    /// <summary>Alias of <see cref="Reshape"/>: every tensor is contiguous, so a view always exists.</summary>
    public Tensor View(params ReadOnlySpan<int> shape) => ShapeOp.Reshape(this, shape);

    /// <summary>Merges dimensions <paramref name="startDim"/>.. into one: [N, C, H, W] → [N, C·H·W] by default.
    /// </summary>
    public Tensor Flatten(int startDim = 1)
    {
        int d = startDim == Rank ? startDim : ShapeChecks.NormalizeDim(startDim, Rank, "Flatten");
        Span<int> shape = stackalloc int[d + 1];
        int rest = 1;
        for (int i = 0; i < Rank; i++)
        {
            if (i < d)
            {
                shape[i] = Shape[i];
            }
            else
            {
                rest *= Shape[i];
            }
        }
        shape[d] = rest;
        return ShapeOp.Reshape(this, shape);
    }

    /// <summary>Elements [start, start + length) of dimension <paramref name="dim"/> (a copy; channel slice with
    /// dim = 1).</summary>
    public Tensor Narrow(int dim, int start, int length) => ShapeOp.Narrow(this, dim, start, length);

    /// <summary>Concatenates along <paramref name="dim"/> (channels: dim = 1).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 1) => ShapeOp.Cat(tensors, dim);
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>The <c>none</c> operation: zeros with the output shape (input subsampled by the stride).</summary>
/// <remarks>The supernet never runs it (a zero term adds nothing to the mixed sum and has zero gradient); it exists so
/// a genotype that keeps <c>none</c> still builds.</remarks>
public sealed class Zero(int stride) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input)
    {
        var s = input.Shape;
        return Tensor.Zeros(s[0], s[1], ((s[2] - 1) / stride) + 1, ((s[3] - 1) / stride) + 1);
    }
}

namespace NasBench.Tensors.Nn;

/// <summary>Returns its input unchanged (the same tensor, no copy).</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => input;
}

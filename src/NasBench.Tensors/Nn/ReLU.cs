namespace NasBench.Tensors.Nn;

/// <summary>max(x, 0), any shape.</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.Relu(input);
}

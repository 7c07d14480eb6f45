namespace NasBench.Tensors.Nn;

/// <summary>Inverted dropout with probability p in training mode, identity in evaluation mode; masks come from the
/// given <see cref="Generator"/>.</summary>
public sealed class Dropout(float p, Generator generator) : Module<Tensor, Tensor>
{
    private readonly Generator _generator = generator ?? throw new ArgumentNullException(nameof(generator));

    public float P { get; } = p;

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining, _generator);
}

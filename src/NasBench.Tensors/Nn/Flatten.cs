namespace NasBench.Tensors.Nn;

/// <summary>Merges dimensions from <paramref name="startDim"/> on: [N, C, H, W] → [N, C·H·W] by default.</summary>
public sealed class Flatten(int startDim = 1) : Module<Tensor, Tensor>
{
    public int StartDim { get; } = startDim;

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(StartDim);
    }
}

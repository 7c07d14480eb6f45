namespace NasBench.Tensors.Nn;

/// <summary>Global average pooling: [N, C, H, W] → [N, C, 1, 1]. Only output size 1 is supported.</summary>
public sealed class AdaptiveAvgPool2d : Module<Tensor, Tensor>
{
    public AdaptiveAvgPool2d(int outputSize = 1)
    {
        if (outputSize != 1)
        {
            throw new NotSupportedException($"AdaptiveAvgPool2d supports output size 1 only, got {outputSize}.");
        }
    }

    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input);
}

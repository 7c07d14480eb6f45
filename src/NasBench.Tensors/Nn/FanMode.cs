namespace NasBench.Tensors.Nn;

/// <summary>Which fan Kaiming initialisation preserves the variance of: forward activations or backward gradients.
/// </summary>
public enum FanMode
{
    FanIn,
    FanOut,
}

namespace NasBench.Search.Splitting.Networks;

/// <summary>The unit kinds a <see cref="NetworkSpec"/> may name.</summary>
public static class UnitKinds
{
    /// <summary>k×k convolution (padding k/2, no bias) + batch norm + Swish; splittable (neuron = output channel).
    /// </summary>
    public const string Conv = "conv";

    /// <summary>Depthwise 3×3 convolution + batch norm + Swish; follows its input channels, never split.</summary>
    public const string Depthwise = "dw";

    /// <summary>2×2 max pooling with stride 2.</summary>
    public const string MaxPool = "maxpool";

    /// <summary>Global average pooling, [N, C, H, W] → [N, C].</summary>
    public const string GlobalPool = "gap";

    /// <summary>Fully connected layer + Swish; splittable (neuron = output unit).</summary>
    public const string Linear = "linear";

    /// <summary>The final fully connected layer producing the logits; not split.</summary>
    public const string Classifier = "classifier";
}

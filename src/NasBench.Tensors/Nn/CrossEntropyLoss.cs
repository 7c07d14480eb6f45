namespace NasBench.Tensors.Nn;

/// <summary>Mean softmax cross-entropy of [N, classes] logits against N integer labels.</summary>
public sealed class CrossEntropyLoss : Module
{
    // An instance method on purpose: losses are modules a caller holds, like PyTorch's nn.CrossEntropyLoss.
#pragma warning disable CA1822
    public Tensor Forward(Tensor logits, ReadOnlySpan<int> labels) => Functional.CrossEntropy(logits, labels);
#pragma warning restore CA1822
}

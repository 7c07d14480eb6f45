using NasBench.Tensors.Ops;

namespace NasBench.Tensors;

/// <summary>Smooth activations for neuron splitting (splitting.md §2.3): Swish and its second derivative.</summary>
public static class SmoothActivation
{
    /// <summary>Swish a·sigmoid(a), element-wise, with autograd. Any shape → same shape.</summary>
    public static Tensor Swish(Tensor input) => SwishOp.Forward(input);

    /// <summary>Swish's second derivative s(1 − s)(2 + a(1 − 2s)), s = sigmoid(a), element-wise, without autograd.
    /// Any shape → same shape.</summary>
    public static Tensor SwishSecondDerivative(Tensor input) => SwishOp.SecondDerivative(input);

    /// <summary>Swish's second derivative of one value.</summary>
    public static float SwishSecondDerivative(float a) => SwishOp.Second(a);

    /// <summary>Swish's first derivative of one value.</summary>
    public static float SwishDerivative(float a) => SwishOp.First(a);
}

using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>y = max(x, 0) through <see cref="ActivationKernel"/>; the gradient passes where x &gt; 0.</summary>
internal static class ReluOp
{
    public static Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Empty(x.Shape);
        ActivationKernel.Relu(x.AsReadOnlySpan(), y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("Relu", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                ActivationKernel.ReluBackward(x.AsReadOnlySpan(), dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }
}

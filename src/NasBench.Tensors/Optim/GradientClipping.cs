using System.Numerics.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Optim;

/// <summary>Gradient-norm clipping (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>Scales every gradient by <c>maxNorm / (‖g‖ + 1e−6)</c> when the global L2 norm exceeds
    /// <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sumSq = 0;
        foreach (var p in parameters)
        {
            if (p.Grad is { } g)
            {
                var s = g.AsReadOnlySpan();
                for (int i = 0; i < s.Length; i++)
                {
                    sumSq += (double)s[i] * s[i];
                }
            }
        }
        double norm = Math.Sqrt(sumSq);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            foreach (var p in parameters)
            {
                if (p.Grad is { } g)
                {
                    TensorPrimitives.Multiply(g.AsSpan(), (float)coefficient, g.AsSpan());
                }
            }
        }
        return norm;
    }
}

namespace NasBench.Tensors.Ops;

/// <summary>Swish σ(a) = a·sigmoid(a) with its first and second derivatives (splitting.md §2.3): the smooth
/// activation the growable networks use, so the splitting matrix S = E[∂L/∂h · σ''(a) · c²·z zᵀ] is not identically
/// zero as it would be for ReLU.</summary>
/// <remarks>With s = sigmoid(a): σ' = s·(1 + a·(1 − s)), σ'' = s·(1 − s)·(2 + a·(1 − 2s)).</remarks>
internal static class SwishOp
{
    public static Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Empty(x.Shape);
        var src = x.AsReadOnlySpan();
        var dst = y.AsSpan();
        for (int i = 0; i < src.Length; i++)
        {
            float a = src[i];
            dst[i] = a / (1f + MathF.Exp(-a));
        }
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("Swish", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                var a = x.AsReadOnlySpan();
                var g = dy.AsReadOnlySpan();
                for (int i = 0; i < a.Length; i++)
                {
                    float d = g[i] * First(a[i]);
                    dx[i] = acc ? dx[i] + d : d;
                }
            });
        }
        return y;
    }

    /// <summary>σ''(x) element-wise, with no autograd (it multiplies the zero-valued auxiliary term of §2.4/§3.2,
    /// whose derivative through σ'' is zero at y = 0).</summary>
    public static Tensor SecondDerivative(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Empty(x.Shape);
        var src = x.AsReadOnlySpan();
        var dst = y.AsSpan();
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = Second(src[i]);
        }
        return y;
    }

    public static float First(float a)
    {
        float s = 1f / (1f + MathF.Exp(-a));
        return s * (1f + (a * (1f - s)));
    }

    public static float Second(float a)
    {
        float s = 1f / (1f + MathF.Exp(-a));
        return s * (1f - s) * (2f + (a * (1f - (2f * s))));
    }
}

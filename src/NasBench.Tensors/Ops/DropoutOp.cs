namespace NasBench.Tensors.Ops;

/// <summary>Inverted dropout: in training, each element is zeroed with probability p and the survivors scaled by
/// 1/(1 − p), so evaluation is the identity. The mask is drawn from an explicit <see cref="Generator"/>.</summary>
internal static class DropoutOp
{
    public static Tensor Forward(Tensor x, float p, bool training, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(generator);
        if (p is < 0f or > 1f || float.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: probability must lie in [0, 1].");
        }
        if (!training || p == 0f)
        {
            return x;
        }
        var mask = Tensor.Empty(x.Shape);
        var m = mask.AsSpan();
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = generator.NextSingle() < p ? 0f : keep;
        }
        var y = Tensor.Empty(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.AsReadOnlySpan(), m, y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("Dropout", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                Accumulate.Product(dy.AsReadOnlySpan(), mask.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }
}

namespace NasBench.Tensors.Ops;

/// <summary>Drop-path (stochastic depth per sample): in training each sample's whole tensor is zeroed with
/// probability p and survivors are scaled by 1/(1 − p) (darts.md §1.8). The mask comes from an explicit
/// <see cref="Generator"/>.</summary>
internal static class DropPathOp
{
    public static Tensor Forward(Tensor x, float p, bool training, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(generator);
        if (p is < 0f or >= 1f || float.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "DropPath: probability must lie in [0, 1).");
        }
        if (!training || p == 0f)
        {
            return x;
        }
        int batch = x.Shape[0], per = x.Numel / batch;
        var keep = new float[batch];
        for (int n = 0; n < batch; n++)
        {
            keep[n] = generator.NextSingle() < p ? 0f : 1f / (1f - p);
        }
        var y = Tensor.Empty(x.Shape);
        Scale(x.AsReadOnlySpan(), keep, per, y.AsSpan(), accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("DropPath", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                Scale(dy.AsReadOnlySpan(), keep, per, dx, acc);
            });
        }
        return y;
    }

    private static void Scale(ReadOnlySpan<float> source, float[] keep, int per, Span<float> target, bool accumulate)
    {
        for (int n = 0; n < keep.Length; n++)
        {
            var s = source.Slice(n * per, per);
            var t = target.Slice(n * per, per);
            if (accumulate)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(s, keep[n], t, t);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(s, keep[n], t);
            }
        }
    }
}

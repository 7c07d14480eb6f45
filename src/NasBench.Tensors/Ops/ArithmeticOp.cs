using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>Element-wise add, subtract and multiply: same shapes, or a per-channel vector ([C], [1, C] or
/// [1, C, 1, 1]) broadcast over dimension 1 of a [N, C, ...] tensor (bias and batch-norm style).</summary>
internal static class ArithmeticOp
{
    private enum Kind
    {
        Add,
        Subtract,
        Multiply,
    }

    public static Tensor Add(Tensor a, Tensor b) => Binary(Kind.Add, "Add", a, b);

    public static Tensor Subtract(Tensor a, Tensor b) => Binary(Kind.Subtract, "Subtract", a, b);

    public static Tensor Multiply(Tensor a, Tensor b) => Binary(Kind.Multiply, "Multiply", a, b);

    private static Tensor Binary(Kind kind, string op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape.SequenceEqual(b.Shape))
        {
            return SameShape(kind, op, a, b);
        }
        if (IsChannelVectorFor(b, a))
        {
            return ChannelBroadcast(kind, op, a, b, vectorOnRight: true);
        }
        if (IsChannelVectorFor(a, b))
        {
            return ChannelBroadcast(kind, op, b, a, vectorOnRight: false);
        }
        throw new ArgumentException(
            $"{op}: cannot combine {a.Describe()} with {b.Describe()}: shapes must match, or one must be a per-channel "
            + "vector [C], [1, C] or [1, C, 1, 1] whose C equals dimension 1 of the other.");
    }

    /// <summary>True when <paramref name="v"/> holds one value per channel of <paramref name="x"/>.</summary>
    private static bool IsChannelVectorFor(Tensor v, Tensor x)
    {
        if (x.Rank < 2)
        {
            return false;
        }
        int c = x.Shape[1];
        if (v.Rank == 1)
        {
            return v.Shape[0] == c;
        }
        if (v.Rank != x.Rank || v.Shape[1] != c)
        {
            return false;
        }
        for (int d = 0; d < v.Rank; d++)
        {
            if (d != 1 && v.Shape[d] != 1)
            {
                return false;
            }
        }
        return true;
    }

    private static Tensor SameShape(Kind kind, string op, Tensor a, Tensor b)
    {
        var y = Tensor.Empty(a.Shape);
        var ys = y.AsSpan();
        var aSpan = a.AsReadOnlySpan();
        var bSpan = b.AsReadOnlySpan();
        switch (kind)
        {
            case Kind.Add:
                BulkKernel.Add(aSpan, bSpan, ys);
                break;
            case Kind.Subtract:
                BulkKernel.Subtract(aSpan, bSpan, ys);
                break;
            default:
                BulkKernel.Multiply(aSpan, bSpan, ys);
                break;
        }
        if (Tensor.NeedsGrad(a, b))
        {
            y.SetGradFn(op, [a, b], dy =>
            {
                var g = dy.AsReadOnlySpan();
                if (a.RequiresGrad)
                {
                    var da = Tensor.GradTarget(a, out bool acc);
                    if (kind == Kind.Multiply)
                    {
                        Accumulate.Product(g, b.AsReadOnlySpan(), da, acc);
                    }
                    else
                    {
                        Accumulate.Copy(g, da, acc);
                    }
                }
                if (b.RequiresGrad)
                {
                    var db = Tensor.GradTarget(b, out bool acc);
                    switch (kind)
                    {
                        case Kind.Multiply:
                            Accumulate.Product(g, a.AsReadOnlySpan(), db, acc);
                            break;
                        case Kind.Subtract:
                            Accumulate.Scaled(g, -1f, db, acc);
                            break;
                        default:
                            Accumulate.Copy(g, db, acc);
                            break;
                    }
                }
            });
        }
        return y;
    }

    /// <summary>y = x ∘ v[c] per channel plane; <paramref name="vectorOnRight"/> false means v ∘ x (matters only for
    /// subtraction).</summary>
    private static Tensor ChannelBroadcast(Kind kind, string op, Tensor x, Tensor v, bool vectorOnRight)
    {
        int batch = x.Shape[0], channels = x.Shape[1];
        int plane = channels == 0 || batch == 0 ? 0 : x.Numel / (batch * channels);
        var y = Tensor.Empty(x.Shape);
        var xs = x.AsReadOnlySpan();
        var vs = v.AsReadOnlySpan();
        var ys = y.AsSpan();
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                var src = xs.Slice(((n * channels) + c) * plane, plane);
                var dst = ys.Slice(((n * channels) + c) * plane, plane);
                switch (kind)
                {
                    case Kind.Add:
                        TensorPrimitives.Add(src, vs[c], dst);
                        break;
                    case Kind.Subtract when vectorOnRight:
                        TensorPrimitives.Subtract(src, vs[c], dst);
                        break;
                    case Kind.Subtract:
                        TensorPrimitives.Subtract(vs[c], src, dst);
                        break;
                    default:
                        TensorPrimitives.Multiply(src, vs[c], dst);
                        break;
                }
            }
        }
        if (Tensor.NeedsGrad(x, v))
        {
            Tensor[] inputs = vectorOnRight ? [x, v] : [v, x];
            y.SetGradFn(op, inputs, dy =>
            {
                var g = dy.AsReadOnlySpan();
                float xSign = kind == Kind.Subtract && !vectorOnRight ? -1f : 1f;
                float vSign = kind == Kind.Subtract && vectorOnRight ? -1f : 1f;
                if (x.RequiresGrad)
                {
                    var dx = Tensor.GradTarget(x, out bool acc);
                    var vv = v.AsReadOnlySpan();
                    for (int n = 0; n < batch; n++)
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            int o = ((n * channels) + c) * plane;
                            float scale = kind == Kind.Multiply ? vv[c] : xSign;
                            Accumulate.Scaled(g.Slice(o, plane), scale, dx.Slice(o, plane), acc);
                        }
                    }
                }
                if (v.RequiresGrad)
                {
                    var dv = Tensor.GradAccumulator(v);
                    var xv = x.AsReadOnlySpan();
                    for (int c = 0; c < channels; c++)
                    {
                        double sum = 0;
                        for (int n = 0; n < batch; n++)
                        {
                            int o = ((n * channels) + c) * plane;
                            sum += kind == Kind.Multiply
                                ? TensorPrimitives.Dot(g.Slice(o, plane), xv.Slice(o, plane))
                                : TensorPrimitives.Sum(g.Slice(o, plane));
                        }
                        dv[c] += (float)(vSign * sum);
                    }
                }
            });
        }
        return y;
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>Reshape (a view sharing storage), concatenation and narrowing along one dimension.</summary>
/// <remarks>Concatenation and narrowing copy: along dimension 1 of NCHW the pieces are not contiguous when N &gt; 1,
/// and every tensor in the engine stays contiguous.</remarks>
internal static class ShapeOp
{
    public static Tensor Reshape(Tensor x, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        Span<int> resolved = shape.Length <= 8 ? stackalloc int[shape.Length] : new int[shape.Length];
        shape.CopyTo(resolved);
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"Reshape: only one dimension may be -1, got {ShapeChecks.Format(shape)}.");
                }
                inferred = i;
            }
            else if (resolved[i] < 0)
            {
                throw new ArgumentException($"Reshape: invalid dimension in {ShapeChecks.Format(shape)}.");
            }
            else
            {
                known *= resolved[i];
            }
        }
        if (inferred >= 0)
        {
            if (known == 0 || x.Numel % known != 0)
            {
                throw new ArgumentException(
                    $"Reshape: cannot infer -1 in {ShapeChecks.Format(shape)} for {x.Describe()} ({x.Numel} elements).");
            }
            resolved[inferred] = (int)(x.Numel / known);
            known *= resolved[inferred];
        }
        if (known != x.Numel)
        {
            throw new ArgumentException(
                $"Reshape: shape {ShapeChecks.Format(shape)} holds {known} elements, but the input {x.Describe()} has "
                + $"{x.Numel}.");
        }
        var storage = x.Storage;
        storage.AddReference();
        var y = new Tensor(resolved, storage, registerInScope: true);
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("Reshape", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                Accumulate.Copy(dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }

    /// <summary>Joins tensors along <paramref name="dim"/>; all other dimensions must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> xs, int dim)
    {
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Count == 0)
        {
            throw new ArgumentException("Cat: needs at least one tensor.");
        }
        var first = xs[0];
        int d = ShapeChecks.NormalizeDim(dim, first.Rank, "Cat");
        int total = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            var t = xs[i];
            if (t.Rank != first.Rank)
            {
                throw new ArgumentException(
                    $"Cat: tensor {i} has shape {t.Describe()} but tensor 0 has {first.Describe()}; ranks differ.");
            }
            for (int k = 0; k < t.Rank; k++)
            {
                if (k != d && t.Shape[k] != first.Shape[k])
                {
                    throw new ArgumentException(
                        $"Cat: along dimension {d}, tensor {i} has shape {t.Describe()} but tensor 0 has "
                        + $"{first.Describe()}: dimension {k} expected {first.Shape[k]}, actual {t.Shape[k]}.");
                }
            }
            total += t.Shape[d];
        }
        Span<int> shape = stackalloc int[first.Rank];
        first.Shape.CopyTo(shape);
        shape[d] = total;
        var y = Tensor.Empty(shape);
        int outer = Outer(first.Shape, d), inner = Inner(first.Shape, d);
        var ys = y.AsSpan();
        int offset = 0;
        bool needsGrad = false;
        for (int i = 0; i < xs.Count; i++)
        {
            var t = xs[i];
            int block = t.Shape[d] * inner;
            var src = t.AsReadOnlySpan();
            BulkKernel.CopyBlocks(src, block, ys.Slice(offset), total * inner, outer, block, accumulate: false);
            offset += block;
            needsGrad |= Tensor.NeedsGrad(t);
        }
        if (needsGrad)
        {
            var inputs = new Tensor[xs.Count];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = xs[i];
            }
            y.SetGradFn("Cat", inputs, dy =>
            {
                var g = dy.AsReadOnlySpan();
                int off = 0;
                foreach (var t in inputs)
                {
                    int block = t.Shape[d] * inner;
                    if (t.RequiresGrad)
                    {
                        var dx = Tensor.GradTarget(t, out bool acc);
                        BulkKernel.CopyBlocks(g.Slice(off), total * inner, dx, block, outer, block, acc);
                    }
                    off += block;
                }
            });
        }
        return y;
    }

    /// <summary>The slice [start, start + length) of dimension <paramref name="dim"/>, copied.</summary>
    public static Tensor Narrow(Tensor x, int dim, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = ShapeChecks.NormalizeDim(dim, x.Rank, "Narrow");
        int size = x.Shape[d];
        if (start < 0 || length < 0 || start + length > size)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow: slice [{start}, {start + length}) of dimension {d} is outside [0, {size}) for {x.Describe()}.");
        }
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[d] = length;
        var y = Tensor.Empty(shape);
        int outer = Outer(x.Shape, d), inner = Inner(x.Shape, d);
        int block = length * inner, stride = size * inner, first = start * inner;
        var xs = x.AsReadOnlySpan();
        var ys = y.AsSpan();
        BulkKernel.CopyBlocks(xs.Slice(first), stride, ys, block, outer, block, accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("Narrow", [x], dy =>
            {
                var g = dy.AsReadOnlySpan();
                // Only the slice receives gradient; a fresh buffer is zeroed so the rest reads as 0.
                var dx = Tensor.GradAccumulator(x);
                BulkKernel.CopyBlocks(g, block, dx.Slice(first), stride, outer, block, accumulate: true);
            });
        }
        return y;
    }

    private static int Outer(ReadOnlySpan<int> shape, int dim)
    {
        int n = 1;
        for (int i = 0; i < dim; i++)
        {
            n *= shape[i];
        }
        return n;
    }

    private static int Inner(ReadOnlySpan<int> shape, int dim)
    {
        int n = 1;
        for (int i = dim + 1; i < shape.Length; i++)
        {
            n *= shape[i];
        }
        return n;
    }
}

using System.Numerics.Tensors;

namespace NasBench.Tensors.Ops;

/// <summary>The "write or add" primitives every backward uses, so no op allocates a temporary to accumulate.</summary>
internal static class Accumulate
{
    /// <summary>dst (= or +=) src.</summary>
    public static void Copy(ReadOnlySpan<float> src, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            TensorPrimitives.Add(dst, src, dst);
        }
        else
        {
            src.CopyTo(dst);
        }
    }

    /// <summary>dst (= or +=) src · scale.</summary>
    public static void Scaled(ReadOnlySpan<float> src, float scale, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
        }
        else
        {
            TensorPrimitives.Multiply(src, scale, dst);
        }
    }

    /// <summary>dst (= or +=) a ⊙ b.</summary>
    public static void Product(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(a, b, dst, dst);
        }
        else
        {
            TensorPrimitives.Multiply(a, b, dst);
        }
    }

    /// <summary>dst (= or +=) value, broadcast.</summary>
    public static void Fill(float value, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            TensorPrimitives.Add(dst, value, dst);
        }
        else
        {
            dst.Fill(value);
        }
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>The "write or add" primitives every backward uses, so no op allocates a temporary to accumulate. Large
/// spans are shared among the CPU threads (<see cref="BulkKernel"/>).</summary>
internal static class Accumulate
{
    /// <summary>dst (= or +=) src.</summary>
    public static void Copy(ReadOnlySpan<float> src, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            BulkKernel.Add(dst, src, dst);
        }
        else
        {
            BulkKernel.Copy(src, dst);
        }
    }

    /// <summary>dst (= or +=) src · scale.</summary>
    public static void Scaled(ReadOnlySpan<float> src, float scale, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            BulkKernel.ScaleAdd(src, scale, dst, dst);
        }
        else
        {
            BulkKernel.Scale(src, scale, dst);
        }
    }

    /// <summary>dst (= or +=) a ⊙ b.</summary>
    public static void Product(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            BulkKernel.MultiplyAdd(a, b, dst, dst);
        }
        else
        {
            BulkKernel.Multiply(a, b, dst);
        }
    }

    /// <summary>dst (= or +=) value, broadcast.</summary>
    public static void Fill(float value, Span<float> dst, bool accumulate)
    {
        if (accumulate)
        {
            BulkKernel.AddScalar(dst, value, dst);
        }
        else
        {
            dst.Fill(value);
        }
    }
}

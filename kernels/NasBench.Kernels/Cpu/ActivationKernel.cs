using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>ReLU forward and backward. Forward is <see cref="TensorPrimitives"/>; backward is a fused mask-multiply
/// that TensorPrimitives lacks.</summary>
public static class ActivationKernel
{
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>dx (= or +=) dy where x &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        if (x.Length != dy.Length || dx.Length < x.Length)
        {
            throw new ArgumentException($"ReluBackward lengths differ: x {x.Length}, dy {dy.Length}, dx {dx.Length}.");
        }
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var xv = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                var g = Vector256.Create(dy.Slice(i, Vector256<float>.Count));
                var masked = Vector256.ConditionalSelect(Vector256.GreaterThan(xv, Vector256<float>.Zero), g,
                    Vector256<float>.Zero);
                var target = dx.Slice(i, Vector256<float>.Count);
                if (accumulate)
                {
                    masked += Vector256.Create((ReadOnlySpan<float>)target);
                }
                masked.CopyTo(target);
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i] > 0 ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}

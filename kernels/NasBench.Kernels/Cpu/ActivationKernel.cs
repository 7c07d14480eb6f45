using System.Numerics.Tensors;

namespace NasBench.Kernels.Cpu;

/// <summary>ReLU forward and backward. Forward is <see cref="TensorPrimitives"/>; backward is a fused masked copy
/// (<see cref="RowCopy.Masked"/>) that TensorPrimitives lacks.</summary>
public static class ActivationKernel
{
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>dx (= or +=) dy where x &gt; 0, else 0.</summary>
    public static unsafe void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx,
        bool accumulate)
    {
        if (x.Length != dy.Length || dx.Length < x.Length)
        {
            throw new ArgumentException($"ReluBackward lengths differ: x {x.Length}, dy {dy.Length}, dx {dx.Length}.");
        }
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            // The same masked copy the fused ReLU→depthwise backward applies per plane.
            RowCopy.Masked(pdy, px, pdx, x.Length, accumulate);
        }
    }
}

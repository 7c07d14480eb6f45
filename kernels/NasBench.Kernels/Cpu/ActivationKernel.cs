using System.Numerics.Tensors;

namespace NasBench.Kernels.Cpu;

/// <summary>ReLU forward and backward. Forward is <see cref="TensorPrimitives"/>; backward is a fused masked copy
/// (<see cref="RowCopy.Masked"/>) that TensorPrimitives lacks. Both run in <see cref="BulkKernel"/>'s fixed chunks
/// on large tensors (a batch-minor edge's ReLU of its whole input), elementwise, so at any thread count the same.
/// </summary>
public static class ActivationKernel
{
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => BulkKernel.Relu(x, y);

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
            if (x.Length < BulkKernel.ParallelThreshold)
            {
                RowCopy.Masked(pdy, px, pdx, x.Length, accumulate);
                return;
            }
            nint xa = (nint)px, dya = (nint)pdy, dxa = (nint)pdx;
            int n = x.Length, per = FixedChunks.TargetElements;
            CpuParallel.For((n + per - 1) / per, chunk =>
            {
                int start = chunk * per;
                RowCopy.Masked((float*)dya + start, (float*)xa + start, (float*)dxa + start, Math.Min(per, n - start),
                    accumulate);
            });
        }
    }
}

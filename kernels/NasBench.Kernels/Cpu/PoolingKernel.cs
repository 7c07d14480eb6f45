using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Max, average and global-average pooling, forward and backward.</summary>
/// <remarks>Contract is that of <see cref="PoolingReference"/>. TEMPORARY bodies: delegate to the reference.</remarks>
public static class PoolingKernel
{
    public static void MaxForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
        => PoolingReference.MaxForward(s, x, y, argmax);

    public static void MaxBackward(in Pool2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx,
        bool accumulate) => PoolingReference.MaxBackward(s, dy, argmax, dx, accumulate);

    public static void AvgForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y)
        => PoolingReference.AvgForward(s, x, y);

    public static void AvgBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
        => PoolingReference.AvgBackward(s, dy, dx, accumulate);

    public static void GlobalAvgForward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, Span<float> y)
        => PoolingReference.GlobalAvgForward(batch, channels, planeSize, x, y);

    public static void GlobalAvgBackward(int batch, int channels, int planeSize, ReadOnlySpan<float> dy, Span<float> dx,
        bool accumulate) => PoolingReference.GlobalAvgBackward(batch, channels, planeSize, dy, dx, accumulate);
}

using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Dense (and grouped) convolution forward, backward-data and backward-weight.</summary>
/// <remarks>Contract is that of <see cref="Conv2dReference"/>. TEMPORARY bodies: delegate to the reference until the
/// tiled GEMM path lands.</remarks>
public static class Conv2dKernel
{
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y) => Conv2dReference.Forward(s, x, w, bias, y);

    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate) => Conv2dReference.BackwardData(s, dy, w, dx, accumulate);

    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate) => Conv2dReference.BackwardWeight(s, x, dy, dw, dbias, accumulate);
}

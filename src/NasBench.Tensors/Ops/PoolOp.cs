using System.Runtime.InteropServices;
using NasBench.Kernels.Cpu;

namespace NasBench.Tensors.Ops;

/// <summary>Max, average and global-average pooling over [N, C, H, W] through <see cref="PoolingKernel"/>.</summary>
/// <remarks>Average pooling excludes padding from the count (PyTorch's <c>count_include_pad=False</c>, as DARTS).
/// The max-pool's argmax indices are kept in a pooled float tensor reinterpreted as int32, so they come from the
/// same pool and scope as every other buffer.</remarks>
internal static class PoolOp
{
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding)
    {
        var s = ShapeOf("MaxPool2d", x, kernel, stride, padding);
        var y = Tensor.Empty(s.Batch, s.Channels, s.OutHeight, s.OutWidth);
        var argmax = Tensor.Empty(s.OutputLength);
        PoolingKernel.MaxForward(s, x.AsReadOnlySpan(), y.AsSpan(), MemoryMarshal.Cast<float, int>(argmax.AsSpan()));
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("MaxPool2d", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                PoolingKernel.MaxBackward(s, dy.AsReadOnlySpan(),
                    MemoryMarshal.Cast<float, int>(argmax.AsReadOnlySpan()), dx, acc);
            });
        }
        return y;
    }

    public static Tensor AvgPool2d(Tensor x, int kernel, int stride, int padding)
    {
        var s = ShapeOf("AvgPool2d", x, kernel, stride, padding);
        var y = Tensor.Empty(s.Batch, s.Channels, s.OutHeight, s.OutWidth);
        PoolingKernel.AvgForward(s, x.AsReadOnlySpan(), y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("AvgPool2d", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                PoolingKernel.AvgBackward(s, dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }

    /// <summary>[N, C, H, W] → [N, C, 1, 1], the mean of each plane.</summary>
    public static Tensor GlobalAvgPool(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        ShapeChecks.Rank("AdaptiveAvgPool2d", "input", x, 4, "[N, C, H, W]");
        int batch = x.Shape[0], channels = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        if (plane == 0)
        {
            throw new ArgumentException($"AdaptiveAvgPool2d: input {x.Describe()} has an empty plane.");
        }
        var y = Tensor.Empty(batch, channels, 1, 1);
        PoolingKernel.GlobalAvgForward(batch, channels, plane, x.AsReadOnlySpan(), y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("AdaptiveAvgPool2d", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                PoolingKernel.GlobalAvgBackward(batch, channels, plane, dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }

    private static Pool2dShape ShapeOf(string op, Tensor x, int kernel, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ShapeChecks.Rank(op, "input", x, 4, "[N, C, H, W]");
        var s = new Pool2dShape(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], kernel, stride, padding);
        try
        {
            s.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: {e.Message}", e);
        }
        return s;
    }
}

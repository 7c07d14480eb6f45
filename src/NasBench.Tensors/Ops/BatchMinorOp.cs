using System.Runtime.InteropServices;
using NasBench.Kernels.Cpu;
using NasBench.Tensors.Profiling;

namespace NasBench.Tensors.Ops;

/// <summary>The operations of a DARTS edge on batch-minor activations: [1, C, H·W, N], the images innermost.</summary>
/// <remarks>
/// The shape keeps the channel at dimension 1 and puts a whole channel (every pixel of every image) in one contiguous
/// plane, so the batch norms, ReLU and the folded weighted sum run on it unchanged: per channel they only need the
/// set of its elements, not their order. The spatial extent is not in the shape, so the spatial operations take the
/// height and width and check that they multiply to dimension 2. See <see cref="BatchMinorDepthwiseKernel"/> for why
/// small maps want this layout.
/// </remarks>
internal static class BatchMinorOp
{
    /// <summary>[N, C, H, W] → [1, C, H·W, N].</summary>
    public static Tensor ToBatchMinor(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        ShapeChecks.Rank("ToBatchMinor", "input", x, 4, "[N, C, H, W]");
        int n = x.Shape[0], c = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var y = Tensor.Empty(1, c, plane, n);
        BatchMinorLayout.ToBatchMinor(n, c, plane, x.AsReadOnlySpan(), y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("ToBatchMinor", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                BatchMinorLayout.FromBatchMinor(n, c, plane, dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }

    /// <summary>[1, C, H·W, N] → [N, C, H, W], plus <paramref name="addend"/> when given.</summary>
    /// <param name="gradientOnly">The caller never reads the values (a recomputation inside a checkpoint): the
    /// output is left unwritten; the backward is the same.</param>
    public static Tensor FromBatchMinor(Tensor y, int height, int width, Tensor? addend, bool gradientOnly)
    {
        (int c, int n) = Geometry("FromBatchMinor", y, height, width);
        int plane = height * width;
        var x = Tensor.Empty(n, c, height, width);
        if (addend is not null)
        {
            ShapeChecks.SameShape("FromBatchMinor (addend, output)", addend, x);
        }
        if (!gradientOnly)
        {
            BatchMinorLayout.FromBatchMinor(n, c, plane, y.AsReadOnlySpan(), x.AsSpan(), false,
                addend is null ? ReadOnlySpan<float>.Empty : addend.AsReadOnlySpan());
        }
        bool addendGrad = addend is not null && Tensor.NeedsGrad(addend);
        if (Tensor.NeedsGrad(y) || addendGrad)
        {
            Tensor[] inputs = addend is null ? [y] : [y, addend];
            x.SetGradFn("FromBatchMinor", inputs, dx =>
            {
                if (y.RequiresGrad)
                {
                    var dy = Tensor.GradTarget(y, out bool acc);
                    BatchMinorLayout.ToBatchMinor(n, c, plane, dx.AsReadOnlySpan(), dy, acc);
                }
                if (addend is not null && addend.RequiresGrad)
                {
                    var da = Tensor.GradTarget(addend, out bool acc);
                    Accumulate.Copy(dx.AsReadOnlySpan(), da, acc);
                }
            });
        }
        return x;
    }

    /// <summary>Depthwise k×k convolution (no bias) of x [1, C, H·W, N] with weight [C, 1, k, k], or of relu(x)
    /// with <paramref name="reluInput"/>.</summary>
    /// <remarks>With <paramref name="reluInput"/> relu(x) is never materialised: the kernels apply the ReLU as they
    /// load x, and the backward keeps x itself (which the caller keeps anyway) and masks the data gradient by
    /// x &gt; 0. Same values and gradients as <see cref="ReluOp"/> followed by the plain convolution, bit for bit.
    /// </remarks>
    public static Tensor DepthwiseConv2d(Tensor x, Tensor weight, int height, int width, int padding, int dilation,
        int stride, bool reluInput = false)
    {
        string name = reluInput ? "BatchMinorReluDepthwiseConv2d" : "BatchMinorDepthwiseConv2d";
        (int c, int n) = Geometry(name, x, height, width);
        ArgumentNullException.ThrowIfNull(weight);
        ShapeChecks.Rank(name, "weight", weight, 4, "[C, 1, k, k]");
        ShapeChecks.Dim(name, "weight", weight, 0, c, "channel count C");
        ShapeChecks.Dim(name, "weight", weight, 1, 1, "1 (one input channel per group)");
        ShapeChecks.Dim(name, "weight", weight, 3, weight.Shape[2], "a square kernel");
        var s = new BatchMinorDepthwiseShape(c, height, width, n, weight.Shape[2], dilation, padding, stride);
        try
        {
            s.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name}: {e.Message}", e);
        }
        var y = Tensor.Empty(1, c, s.OutHeight * s.OutWidth, n);
        if (MacCounter.IsActive)
        {
            MacCounter.Add(y.Numel * s.Kernel * s.Kernel);
        }
        BatchMinorDepthwiseKernel.Forward(s, x.AsReadOnlySpan(), weight.AsReadOnlySpan(), y.AsSpan(), reluInput);
        if (Tensor.NeedsGrad(x, weight))
        {
            y.SetGradFn(name, [x, weight], dy =>
            {
                if (x.RequiresGrad)
                {
                    var dx = Tensor.GradTarget(x, out bool acc);
                    BatchMinorDepthwiseKernel.BackwardData(s, dy.AsReadOnlySpan(), weight.AsReadOnlySpan(), dx, acc,
                        reluInput ? x.AsReadOnlySpan() : ReadOnlySpan<float>.Empty);
                }
                if (weight.RequiresGrad)
                {
                    var dw = Tensor.GradTarget(weight, out bool acc);
                    BatchMinorDepthwiseKernel.BackwardWeight(s, x.AsReadOnlySpan(), dy.AsReadOnlySpan(), dw, acc,
                        reluInput);
                }
            });
        }
        return y;
    }

    /// <summary>1×1 convolution (no bias) of x [1, C_in, P, N] with weight [C_out, C_in, 1, 1]: one product
    /// W · X over all P·N columns, where NCHW needs one narrow product per image.</summary>
    /// <remarks>The forward and the data gradient go to <see cref="PointwiseConvKernel"/>'s column-chunked products,
    /// which read X and dY unpacked (a packed GEMM would pack as long as it multiplies at these channel counts); the
    /// weight gradient, a product over all P·N columns into a C_out × C_in matrix, to <see cref="Sgemm"/>.</remarks>
    public static Tensor PointwiseConv2d(Tensor x, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ShapeChecks.Rank("BatchMinorPointwiseConv2d", "input", x, 4, "[1, C_in, H·W, N]");
        ShapeChecks.Dim("BatchMinorPointwiseConv2d", "input", x, 0, 1, "1 (batch-minor activations)");
        ShapeChecks.Rank("BatchMinorPointwiseConv2d", "weight", weight, 4, "[C_out, C_in, 1, 1]");
        ShapeChecks.Dim("BatchMinorPointwiseConv2d", "weight", weight, 1, x.Shape[1], "C_in (the input's channels)");
        ShapeChecks.Dim("BatchMinorPointwiseConv2d", "weight", weight, 2, 1, "1 (a 1×1 kernel)");
        ShapeChecks.Dim("BatchMinorPointwiseConv2d", "weight", weight, 3, 1, "1 (a 1×1 kernel)");
        int cin = x.Shape[1], cout = weight.Shape[0], columns = x.Shape[2] * x.Shape[3];
        var y = Tensor.Empty(1, cout, x.Shape[2], x.Shape[3]);
        if (MacCounter.IsActive)
        {
            MacCounter.Add((long)cout * cin * columns);
        }
        bool direct = PointwiseConvKernel.Supports(new Conv2dShape(1, cin, 1, columns, cout, 1, 1));
        if (direct)
        {
            PointwiseConvKernel.ForwardColumns(cout, cin, columns, weight.AsReadOnlySpan(), x.AsReadOnlySpan(),
                y.AsSpan());
        }
        else
        {
            Sgemm.Multiply(false, false, cout, columns, cin, 1f, weight.AsReadOnlySpan(), cin, x.AsReadOnlySpan(),
                columns, 0f, y.AsSpan(), columns);
        }
        if (Tensor.NeedsGrad(x, weight))
        {
            y.SetGradFn("BatchMinorPointwiseConv2d", [x, weight], dy =>
            {
                if (x.RequiresGrad)
                {
                    // dX = Wᵀ · dY
                    var dx = Tensor.GradTarget(x, out bool acc);
                    if (direct)
                    {
                        PointwiseConvKernel.BackwardDataColumns(cout, cin, columns, dy.AsReadOnlySpan(),
                            weight.AsReadOnlySpan(), dx, acc);
                    }
                    else
                    {
                        Sgemm.Multiply(true, false, cin, columns, cout, 1f, weight.AsReadOnlySpan(), cin,
                            dy.AsReadOnlySpan(), columns, acc ? 1f : 0f, dx, columns);
                    }
                }
                if (weight.RequiresGrad)
                {
                    // dW = dY · Xᵀ
                    var dw = Tensor.GradTarget(weight, out bool acc);
                    PointwiseConvKernel.BackwardWeightColumns(cout, cin, columns, dy.AsReadOnlySpan(),
                        x.AsReadOnlySpan(), dw, acc);
                }
            });
        }
        return y;
    }

    /// <summary>x [1, C, H·W, N] → [1, C, ⌈H/2⌉·⌈W/2⌉, N], the cells (2i + offset, 2j + offset); zero past the
    /// edge.</summary>
    public static Tensor Subsample2(Tensor x, int height, int width, int offset)
    {
        (int c, int n) = Geometry("BatchMinorSubsample2", x, height, width);
        var y = Tensor.Empty(1, c, ((height + 1) / 2) * ((width + 1) / 2), n);
        BatchMinorLayout.Subsample2(c, height, width, n, offset, x.AsReadOnlySpan(), y.AsSpan());
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("BatchMinorSubsample2", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                BatchMinorLayout.Subsample2Backward(c, height, width, n, offset, dy.AsReadOnlySpan(), dx, acc);
            });
        }
        return y;
    }

    /// <summary>3×3 max pooling, padding 1, stride 1 or 2, of x [1, C, H·W, N].</summary>
    public static Tensor MaxPool3x3(Tensor x, int height, int width, int stride)
    {
        (int c, int n) = Geometry("BatchMinorMaxPool2d", x, height, width);
        var y = Tensor.Empty(1, c, PooledPlane(height, width, stride), n);
        // The winning tap of each output, one byte each, in a pooled float buffer (as PoolOp keeps its argmax).
        var taps = Tensor.Empty((int)((y.Numel + 3) / 4));
        var tapBytes = MemoryMarshal.AsBytes(taps.AsSpan());
        BatchMinorPoolKernel.MaxForward(c, height, width, n, x.AsReadOnlySpan(), y.AsSpan(), tapBytes, stride);
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("BatchMinorMaxPool2d", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                BatchMinorPoolKernel.MaxBackward(c, height, width, n, dy.AsReadOnlySpan(),
                    MemoryMarshal.AsBytes(taps.AsReadOnlySpan()), dx, acc, stride);
            });
        }
        return y;
    }

    /// <summary>3×3 average pooling, padding 1 (left out of the count), stride 1 or 2, of x [1, C, H·W, N].
    /// </summary>
    public static Tensor AvgPool3x3(Tensor x, int height, int width, int stride)
    {
        (int c, int n) = Geometry("BatchMinorAvgPool2d", x, height, width);
        var y = Tensor.Empty(1, c, PooledPlane(height, width, stride), n);
        BatchMinorPoolKernel.AvgForward(c, height, width, n, x.AsReadOnlySpan(), y.AsSpan(), stride);
        if (Tensor.NeedsGrad(x))
        {
            y.SetGradFn("BatchMinorAvgPool2d", [x], dy =>
            {
                var dx = Tensor.GradTarget(x, out bool acc);
                BatchMinorPoolKernel.AvgBackward(c, height, width, n, dy.AsReadOnlySpan(), dx, acc, stride);
            });
        }
        return y;
    }

    /// <summary>The output plane of a 3×3 pool with padding 1 (strides other than 1 and 2 are refused by name).
    /// </summary>
    private static int PooledPlane(int height, int width, int stride) =>
        BatchMinorPoolKernel.OutputSize(height, stride) * BatchMinorPoolKernel.OutputSize(width, stride);

    /// <summary>Checks x is [1, C, height·width, N]; returns (C, N).</summary>
    private static (int Channels, int Batch) Geometry(string op, Tensor x, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        ShapeChecks.Rank(op, "input", x, 4, "[1, C, H·W, N]");
        ShapeChecks.Dim(op, "input", x, 0, 1, "1 (batch-minor activations)");
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"{op}: height and width must be at least 1, got {height}×{width}.");
        }
        ShapeChecks.Dim(op, "input", x, 2, height * width, $"H·W = {height}·{width}");
        return (x.Shape[1], x.Shape[3]);
    }
}

using NasBench.Kernels.Cpu;
using NasBench.Tensors.Memory;
using NasBench.Tensors.Profiling;

namespace NasBench.Tensors.Ops;

/// <summary>2-D convolution (stride, padding, dilation, groups, optional bias). Depthwise geometry
/// (groups == Cin == Cout) goes to <see cref="DepthwiseConv2dKernel"/>, the rest to <see cref="Conv2dKernel"/>.
/// Either can take a fused ReLU on its input (<c>reluInput</c>): relu(x) is never materialised, the kernels apply it
/// to the planes or im2col bands they copy anyway and mask the input gradient with x &gt; 0.</summary>
internal static class Conv2dOp
{
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, int groups, bool reluInput = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ShapeChecks.Rank("Conv2d", "input", x, 4, "[N, C_in, H, W]");
        ShapeChecks.Rank("Conv2d", "weight", weight, 4, "[C_out, C_in / groups, KH, KW]");
        if (groups <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "Conv2d: groups must be positive.");
        }
        ShapeChecks.Dim("Conv2d", "input", x, 1, weight.Shape[1] * groups,
            $"channel count C_in (weight's dimension 1 × groups = {weight.Shape[1]} × {groups})");
        if (bias is not null)
        {
            ShapeChecks.Rank("Conv2d", "bias", bias, 1, "[C_out]");
            ShapeChecks.Dim("Conv2d", "bias", bias, 0, weight.Shape[0], "length (C_out)");
        }
        var s = new Conv2dShape(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[0], weight.Shape[2],
            weight.Shape[3], stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups);
        s.Validate();
        var y = Tensor.Empty(s.Batch, s.OutChannels, s.OutHeight, s.OutWidth);
        if (MacCounter.IsActive)
        {
            MacCounter.Add((long)y.Numel * weight.Shape[1] * s.KernelH * s.KernelW);
        }
        var biasSpan = bias is null ? ReadOnlySpan<float>.Empty : bias.AsReadOnlySpan();
        if (s.IsDepthwise)
        {
            DepthwiseConv2dKernel.Forward(s, x.AsReadOnlySpan(), weight.AsReadOnlySpan(), biasSpan, y.AsSpan(),
                reluInput);
        }
        else
        {
            Conv2dKernel.Forward(s, x.AsReadOnlySpan(), weight.AsReadOnlySpan(), biasSpan, y.AsSpan(), reluInput);
        }
        bool biasGrad = bias is not null && Tensor.NeedsGrad(bias);
        if (Tensor.NeedsGrad(x, weight) || biasGrad)
        {
            Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
            string name = (reluInput, s.IsDepthwise) switch
            {
                (true, true) => "ReluDepthwiseConv2d",
                (true, false) => "ReluConv2d",
                (false, true) => "DepthwiseConv2d",
                _ => "Conv2d",
            };
            y.SetGradFn(name, inputs, dy => Backward(s, x, weight, bias, dy, reluInput));
        }
        return y;
    }

    /// <summary>Depthwise convolutions of one input (of relu(x) with <paramref name="reluInput"/>) with their own
    /// weights, paddings and dilations, run as one kernel pass that copies each input plane once
    /// (<see cref="DepthwiseConv2dKernel.ForwardShared"/>). Each output is its own tape node with the backward of a
    /// single depthwise convolution, so values and gradients are those of separate <see cref="Forward"/> calls.
    /// </summary>
    public static Tensor[] DepthwiseShared(Tensor x, ReadOnlySpan<Tensor> weights, ReadOnlySpan<int> paddings,
        ReadOnlySpan<int> dilations, int stride, bool reluInput)
    {
        ArgumentNullException.ThrowIfNull(x);
        ShapeChecks.Rank("DepthwiseShared", "input", x, 4, "[N, C, H, W]");
        if (weights.IsEmpty || paddings.Length != weights.Length || dilations.Length != weights.Length)
        {
            throw new ArgumentException($"DepthwiseShared needs one padding and one dilation per weight, got "
                + $"{weights.Length} weights, {paddings.Length} paddings and {dilations.Length} dilations.",
                nameof(weights));
        }
        int c = x.Shape[1];
        var shapes = new Conv2dShape[weights.Length];
        var ys = new Tensor[weights.Length];
        var wm = new ReadOnlyMemory<float>[weights.Length];
        var ym = new Memory<float>[weights.Length];
        for (int b = 0; b < weights.Length; b++)
        {
            var weight = weights[b];
            ArgumentNullException.ThrowIfNull(weight);
            ShapeChecks.Rank("DepthwiseShared", $"weight {b}", weight, 4, "[C, 1, KH, KW]");
            ShapeChecks.Dim("DepthwiseShared", $"weight {b}", weight, 0, c, "output channel count (C of the input)");
            ShapeChecks.Dim("DepthwiseShared", $"weight {b}", weight, 1, 1, "input channels per group (depthwise)");
            var s = new Conv2dShape(x.Shape[0], c, x.Shape[2], x.Shape[3], c, weight.Shape[2], weight.Shape[3],
                stride, stride, paddings[b], paddings[b], dilations[b], dilations[b], c);
            s.Validate();
            shapes[b] = s;
            ys[b] = Tensor.Empty(s.Batch, s.OutChannels, s.OutHeight, s.OutWidth);
            wm[b] = weight.Storage.Memory(weight.Numel);
            ym[b] = ys[b].Storage.Memory(ys[b].Numel);
            if (MacCounter.IsActive)
            {
                MacCounter.Add((long)ys[b].Numel * s.KernelH * s.KernelW);
            }
        }
        DepthwiseConv2dKernel.ForwardShared(shapes, x.AsReadOnlySpan(), wm, ym, reluInput);
        string name = reluInput ? "ReluDepthwiseConv2d" : "DepthwiseConv2d";
        for (int b = 0; b < weights.Length; b++)
        {
            var (s, weight) = (shapes[b], weights[b]);
            if (Tensor.NeedsGrad(x, weight))
            {
                ys[b].SetGradFn(name, [x, weight], dy => Backward(s, x, weight, null, dy, reluInput));
            }
        }
        return ys;
    }

    private static void Backward(Conv2dShape s, Tensor x, Tensor weight, Tensor? bias, Tensor dy, bool reluInput)
    {
        var g = dy.AsReadOnlySpan();
        bool wantW = weight.RequiresGrad, wantB = bias is not null && bias.RequiresGrad;
        // A depthwise convolution that needs both gradients gets them in one kernel pass (below).
        bool both = s.IsDepthwise && x.RequiresGrad && (wantW || wantB);
        bool accX = false;
        var dx = x.RequiresGrad ? Tensor.GradTarget(x, out accX) : Span<float>.Empty;
        if (x.RequiresGrad && !both)
        {
            if (s.IsDepthwise)
            {
                DepthwiseConv2dKernel.BackwardData(s, g, weight.AsReadOnlySpan(), dx, accX,
                    reluInput ? x.AsReadOnlySpan() : ReadOnlySpan<float>.Empty);
            }
            else
            {
                Conv2dKernel.BackwardData(s, g, weight.AsReadOnlySpan(), dx, accX,
                    reluInput ? x.AsReadOnlySpan() : ReadOnlySpan<float>.Empty);
            }
        }
        if (!wantW && !wantB)
        {
            return;
        }
        // The weight kernel writes dW and dBias under one accumulate flag: when only one of them already holds a
        // gradient, the other is zeroed first so both can be accumulated into.
        float[]? scratchW = null;
        Span<float> dw, db = Span<float>.Empty;
        bool accumulate;
        if (wantW && wantB)
        {
            bool hasW = weight.Grad is not null, hasB = bias!.Grad is not null;
            accumulate = hasW || hasB;
            dw = accumulate ? Tensor.GradAccumulator(weight) : Tensor.GradTarget(weight, out _);
            db = accumulate ? Tensor.GradAccumulator(bias) : Tensor.GradTarget(bias, out _);
        }
        else if (wantW)
        {
            dw = Tensor.GradTarget(weight, out accumulate);
        }
        else
        {
            scratchW = BufferPool.Rent(s.WeightLength);
            dw = scratchW.AsSpan(0, s.WeightLength);
            db = Tensor.GradTarget(bias!, out accumulate);
        }
        if (both)
        {
            // Bit for bit BackwardData then BackwardWeight; the weight pass reads dy and x from L2.
            DepthwiseConv2dKernel.Backward(s, x.AsReadOnlySpan(), g, weight.AsReadOnlySpan(), dx, accX, dw, db,
                accumulate, reluInput);
        }
        else if (s.IsDepthwise)
        {
            DepthwiseConv2dKernel.BackwardWeight(s, x.AsReadOnlySpan(), g, dw, db, accumulate, reluInput);
        }
        else
        {
            Conv2dKernel.BackwardWeight(s, x.AsReadOnlySpan(), g, dw, db, accumulate, reluInput);
        }
        if (scratchW is not null)
        {
            BufferPool.Return(scratchW);
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Kernels.Cpu;

/// <summary>Depthwise convolution (no bias) over batch-minor activations: x [C, H, W, N], weights [C, k, k],
/// y [C, OH, OW, N] (<see cref="BatchMinorDepthwiseShape"/>).</summary>
/// <remarks>
/// Why this layout: the DARTS cells after the reductions work on 14×14 and 7×7 maps, whose NCHW rows are narrower than
/// a vector. There the NCHW kernels copy every plane into padded scratch, spend lanes on padding columns and crop
/// afterwards, so a 7×7 edge costs two thirds of a 28×28 edge with a quarter of its activations. With the images in
/// the vector lanes every lane is useful: an output position is a few whole vectors, and a tap that falls outside the
/// plane is simply skipped for that position. No scratch, no masks, no crop.
/// <para>Each output element is the FMA chain over its in-bounds taps in row-major tap order, the same chain in every
/// lane, so a lane's result does not depend on the batch size or on which path (vector block or scalar tail) ran it.
/// The weight gradient sums each tap over fixed segments in a fixed order. Work is split into fixed chunks of
/// channels, so every result is bit-identical at any thread count.</para>
/// </remarks>
public static unsafe class BatchMinorDepthwiseKernel
{
    /// <summary>y = Σ_taps w · x (shifted).</summary>
    public static void Forward(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        Span<float> y)
    {
        Validate(s);
        CheckLength(s, x.Length, nameof(x), s.InputLength);
        CheckLength(s, w.Length, nameof(w), s.WeightLength);
        CheckLength(s, y.Length, nameof(y), s.OutputLength);
        var shape = s;
        var width = SimdWidthResolver.Resolve(SimdWidth.Best);
        fixed (float* px = x, pw = w, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ya = (nint)py;
            ForChannelChunks(s, (first, last) =>
            {
                int k2 = shape.Kernel * shape.Kernel;
                for (int c = first; c < last; c++)
                {
                    Gather(width, (float*)xa + c * shape.Height * shape.Width * (long)shape.Batch,
                        shape.Height, shape.Width,
                        (float*)ya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                        shape.OutHeight, shape.OutWidth, (float*)wa + c * k2, shape.Kernel, shape.Dilation,
                        shape.Padding, shape.Stride, shape.Batch, accumulate: false);
                }
            });
        }
    }

    /// <summary>dx (= or +=) the gradient of <see cref="Forward"/> with respect to x.</summary>
    /// <remarks>The transpose of a stride-1 gather is again a gather: dx at (i, j) collects w[ky, kx] · dy at
    /// (i + pad − ky·d, j + pad − kx·d), which is <see cref="Forward"/> of dy with the kernel flipped and padding
    /// d·(k − 1) − pad. A strided convolution's transpose is not a plain gather (which taps reach an input cell
    /// depends on its parity), so there each output position adds its taps into dx (a scatter in a fixed order).
    /// </remarks>
    public static void BackwardData(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        Span<float> dx, bool accumulate)
    {
        Validate(s);
        CheckLength(s, dy.Length, nameof(dy), s.OutputLength);
        CheckLength(s, w.Length, nameof(w), s.WeightLength);
        CheckLength(s, dx.Length, nameof(dx), s.InputLength);
        var shape = s;
        var width = SimdWidthResolver.Resolve(SimdWidth.Best);
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx;
            ForChannelChunks(s, (first, last) =>
            {
                int k = shape.Kernel, k2 = k * k;
                float* flipped = stackalloc float[k2];
                for (int c = first; c < last; c++)
                {
                    if (shape.Stride != 1)
                    {
                        Scatter(width, shape, (float*)dya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                            (float*)dxa + c * shape.Height * shape.Width * (long)shape.Batch, (float*)wa + c * k2,
                            accumulate);
                        continue;
                    }
                    float* wc = (float*)wa + c * k2;
                    for (int t = 0; t < k2; t++)
                    {
                        flipped[t] = wc[k2 - 1 - t];
                    }
                    Gather(width, (float*)dya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                        shape.OutHeight, shape.OutWidth,
                        (float*)dxa + c * shape.Height * shape.Width * (long)shape.Batch, shape.Height, shape.Width,
                        flipped, k, shape.Dilation, shape.Dilation * (k - 1) - shape.Padding, 1, shape.Batch,
                        accumulate);
                }
            });
        }
    }

    /// <summary>dw (= or +=) Σ over positions and images of dy · x (shifted by the tap).</summary>
    /// <remarks>For one tap the output positions whose shifted input is in bounds form a rectangle, and each of its
    /// rows is one contiguous run of dy and one of x (the batch is innermost): the tap's sum is a dot product over
    /// those runs, with no bounds test inside.</remarks>
    public static void BackwardWeight(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dw, bool accumulate)
    {
        Validate(s);
        CheckLength(s, x.Length, nameof(x), s.InputLength);
        CheckLength(s, dy.Length, nameof(dy), s.OutputLength);
        CheckLength(s, dw.Length, nameof(dw), s.WeightLength);
        var shape = s;
        var width = SimdWidthResolver.Resolve(SimdWidth.Best);
        fixed (float* px = x, pdy = dy, pdw = dw)
        {
            nint xa = (nint)px, dya = (nint)pdy, dwa = (nint)pdw;
            ForChannelChunks(s, (first, last) =>
            {
                for (int c = first; c < last; c++)
                {
                    WeightChannel(width, shape, (float*)xa + c * shape.Height * shape.Width * (long)shape.Batch,
                        (float*)dya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                        (float*)dwa + c * shape.Kernel * shape.Kernel, accumulate);
                }
            });
        }
    }

    private static void ForChannelChunks(in BatchMinorDepthwiseShape s, Action<int, int> body)
    {
        long perChannel = ((long)s.Height * s.Width + (long)s.OutHeight * s.OutWidth) * s.Batch;
        int per = FixedChunks.ItemsPerChunk(perChannel);
        int channels = s.Channels;
        CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            body(chunk * per, Math.Min(channels, chunk * per + per)));
    }

    private static void Gather(SimdWidth width, float* src, int srcH, int srcW, float* dst, int dstH, int dstW,
        float* w, int k, int d, int pad, int s, int n, bool accumulate)
    {
        switch (width)
        {
            case SimdWidth.V512:
                Gather<Vector512<float>, FloatOps512>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n,
                    accumulate);
                break;
            case SimdWidth.V256:
                Gather<Vector256<float>, FloatOps256>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n,
                    accumulate);
                break;
            case SimdWidth.V128:
                Gather<Vector128<float>, FloatOps128>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n,
                    accumulate);
                break;
            default:
                Gather<float, FloatOpsScalar>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n, accumulate);
                break;
        }
    }

    /// <summary>dst[o] (= or +=) Σ_{ky, kx in bounds} w[ky, kx] · src[o·s − pad + (ky, kx)·d], every lane alike.
    /// </summary>
    private static void Gather<TV, TOps>(float* src, int srcH, int srcW, float* dst, int dstH, int dstW, float* w,
        int k, int d, int pad, int s, int n, bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int lanes = TOps.Count;
        long rowFloats = (long)srcW * n;
        for (int oy = 0; oy < dstH; oy++)
        {
            (int kyLo, int kyHi) = TapRange(oy * s, pad, d, k, srcH);
            for (int ox = 0; ox < dstW; ox++)
            {
                (int kxLo, int kxHi) = TapRange(ox * s, pad, d, k, srcW);
                float* o = dst + ((long)oy * dstW + ox) * n;
                // The window's first in-bounds source cell; tap (ky, kx) reads d·(ky − kyLo) rows and
                // d·(kx − kxLo) cells further on.
                float* origin = src + (oy * s - pad + kyLo * d) * rowFloats + (long)(ox * s - pad + kxLo * d) * n;
                int lane = 0;
                for (; lane + 4 * lanes <= n; lane += 4 * lanes)
                {
                    TV a0, a1, a2, a3;
                    if (accumulate)
                    {
                        a0 = TOps.Load(o + lane);
                        a1 = TOps.Load(o + lane + lanes);
                        a2 = TOps.Load(o + lane + 2 * lanes);
                        a3 = TOps.Load(o + lane + 3 * lanes);
                    }
                    else
                    {
                        a0 = a1 = a2 = a3 = TOps.Zero;
                    }
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        float* row = origin + (ky - kyLo) * d * rowFloats + lane;
                        float* wr = w + ky * k;
                        for (int kx = kxLo; kx < kxHi; kx++)
                        {
                            var wv = TOps.Broadcast(wr[kx]);
                            float* p = row + (long)(kx - kxLo) * d * n;
                            a0 = TOps.MultiplyAdd(TOps.Load(p), wv, a0);
                            a1 = TOps.MultiplyAdd(TOps.Load(p + lanes), wv, a1);
                            a2 = TOps.MultiplyAdd(TOps.Load(p + 2 * lanes), wv, a2);
                            a3 = TOps.MultiplyAdd(TOps.Load(p + 3 * lanes), wv, a3);
                        }
                    }
                    TOps.Store(o + lane, a0);
                    TOps.Store(o + lane + lanes, a1);
                    TOps.Store(o + lane + 2 * lanes, a2);
                    TOps.Store(o + lane + 3 * lanes, a3);
                }
                for (; lane + lanes <= n; lane += lanes)
                {
                    var a = accumulate ? TOps.Load(o + lane) : TOps.Zero;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        float* row = origin + (ky - kyLo) * d * rowFloats + lane;
                        for (int kx = kxLo; kx < kxHi; kx++)
                        {
                            a = TOps.MultiplyAdd(TOps.Load(row + (long)(kx - kxLo) * d * n), TOps.Broadcast(w[ky * k + kx]), a);
                        }
                    }
                    TOps.Store(o + lane, a);
                }
                for (; lane < n; lane++)
                {
                    float a = accumulate ? o[lane] : 0f;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        float* row = origin + (ky - kyLo) * d * rowFloats + lane;
                        for (int kx = kxLo; kx < kxHi; kx++)
                        {
                            a = MathF.FusedMultiplyAdd(row[(long)(kx - kxLo) * d * n], w[ky * k + kx], a);
                        }
                    }
                    o[lane] = a;
                }
            }
        }
    }

    private static void Scatter(SimdWidth width, in BatchMinorDepthwiseShape shape, float* dy, float* dx, float* w,
        bool accumulate)
    {
        switch (width)
        {
            case SimdWidth.V512:
                Scatter<Vector512<float>, FloatOps512>(shape, dy, dx, w, accumulate);
                break;
            case SimdWidth.V256:
                Scatter<Vector256<float>, FloatOps256>(shape, dy, dx, w, accumulate);
                break;
            case SimdWidth.V128:
                Scatter<Vector128<float>, FloatOps128>(shape, dy, dx, w, accumulate);
                break;
            default:
                Scatter<float, FloatOpsScalar>(shape, dy, dx, w, accumulate);
                break;
        }
    }

    /// <summary>One channel's dx (= or +=) Σ over output positions o and taps of w[tap] · dy[o], added into
    /// dx[o·s − pad + tap·d] in output-major, tap-minor order.</summary>
    private static void Scatter<TV, TOps>(in BatchMinorDepthwiseShape shape, float* dy, float* dx, float* w,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int k = shape.Kernel, d = shape.Dilation, pad = shape.Padding, s = shape.Stride, n = shape.Batch;
        int lanes = TOps.Count;
        long rowFloats = (long)shape.Width * n;
        if (!accumulate)
        {
            new Span<float>(dx, checked((int)(shape.Height * rowFloats))).Clear();
        }
        for (int oy = 0; oy < shape.OutHeight; oy++)
        {
            (int kyLo, int kyHi) = TapRange(oy * s, pad, d, k, shape.Height);
            for (int ox = 0; ox < shape.OutWidth; ox++)
            {
                (int kxLo, int kxHi) = TapRange(ox * s, pad, d, k, shape.Width);
                float* g = dy + ((long)oy * shape.OutWidth + ox) * n;
                float* origin = dx + (oy * s - pad + kyLo * d) * rowFloats + (long)(ox * s - pad + kxLo * d) * n;
                for (int ky = kyLo; ky < kyHi; ky++)
                {
                    float* row = origin + (ky - kyLo) * d * rowFloats;
                    for (int kx = kxLo; kx < kxHi; kx++)
                    {
                        float wt = w[ky * k + kx];
                        var wv = TOps.Broadcast(wt);
                        float* p = row + (long)(kx - kxLo) * d * n;
                        int lane = 0;
                        for (; lane + lanes <= n; lane += lanes)
                        {
                            TOps.Store(p + lane, TOps.MultiplyAdd(TOps.Load(g + lane), wv, TOps.Load(p + lane)));
                        }
                        for (; lane < n; lane++)
                        {
                            p[lane] = MathF.FusedMultiplyAdd(g[lane], wt, p[lane]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Outputs [lo, hi) whose source index <c>o·s + offset</c> lies in [0, extent), capped at
    /// <paramref name="outputs"/>.</summary>
    private static (int Lo, int Hi) OutputRange(int offset, int s, int extent, int outputs)
    {
        int lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
        int top = extent - 1 - offset; // the largest o·s allowed
        int hi = top < 0 ? 0 : Math.Min(outputs, top / s + 1);
        return (lo, Math.Max(lo, hi));
    }

    /// <summary>Taps [lo, hi) whose source index <c>o − pad + t·d</c> lies in [0, extent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Lo, int Hi) TapRange(int o, int pad, int d, int k, int extent)
    {
        int lo = o >= pad ? 0 : (pad - o + d - 1) / d;
        int top = extent - 1 - o + pad; // the largest t·d allowed
        int hi = top < 0 ? 0 : Math.Min(k, top / d + 1);
        return (lo, Math.Max(lo, hi));
    }

    private static void WeightChannel(SimdWidth width, in BatchMinorDepthwiseShape s, float* x, float* dy, float* dw,
        bool accumulate)
    {
        switch (width)
        {
            case SimdWidth.V512:
                WeightChannel<Vector512<float>, FloatOps512>(s, x, dy, dw, accumulate);
                break;
            case SimdWidth.V256:
                WeightChannel<Vector256<float>, FloatOps256>(s, x, dy, dw, accumulate);
                break;
            case SimdWidth.V128:
                WeightChannel<Vector128<float>, FloatOps128>(s, x, dy, dw, accumulate);
                break;
            default:
                WeightChannel<float, FloatOpsScalar>(s, x, dy, dw, accumulate);
                break;
        }
    }

    private static void WeightChannel<TV, TOps>(in BatchMinorDepthwiseShape s, float* x, float* dy, float* dw,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int k = s.Kernel, d = s.Dilation, pad = s.Padding, n = s.Batch, stride = s.Stride;
        // At stride 1 a row of the tap's rectangle is one contiguous run of dy and of x; at stride 2 the x cells of
        // neighbouring outputs are two apart, so each output position is a run of its own.
        bool contiguous = stride == 1;
        for (int ky = 0; ky < k; ky++)
        {
            // Output rows whose source row oy·s − pad + ky·d is in bounds, likewise columns.
            (int oyLo, int oyHi) = OutputRange(ky * d - pad, stride, s.Height, s.OutHeight);
            for (int kx = 0; kx < k; kx++)
            {
                (int oxLo, int oxHi) = OutputRange(kx * d - pad, stride, s.Width, s.OutWidth);
                float sum = 0f;
                if (oyLo < oyHi && oxLo < oxHi)
                {
                    var a0 = TOps.Zero;
                    var a1 = TOps.Zero;
                    var a2 = TOps.Zero;
                    var a3 = TOps.Zero;
                    float tail = 0f;
                    int segments = contiguous ? 1 : oxHi - oxLo;
                    int run = contiguous ? (oxHi - oxLo) * n : n;
                    for (int seg = 0; seg < segments * (oyHi - oyLo); seg++)
                    {
                        int oy = oyLo + seg / segments, ox = oxLo + seg % segments;
                        float* g = dy + ((long)oy * s.OutWidth + ox) * n;
                        float* v = x + ((long)(oy * stride - pad + ky * d) * s.Width + ox * stride - pad + kx * d) * n;
                        int i = 0;
                        for (; i + 4 * TOps.Count <= run; i += 4 * TOps.Count)
                        {
                            a0 = TOps.MultiplyAdd(TOps.Load(g + i), TOps.Load(v + i), a0);
                            a1 = TOps.MultiplyAdd(TOps.Load(g + i + TOps.Count), TOps.Load(v + i + TOps.Count), a1);
                            a2 = TOps.MultiplyAdd(TOps.Load(g + i + 2 * TOps.Count), TOps.Load(v + i + 2 * TOps.Count), a2);
                            a3 = TOps.MultiplyAdd(TOps.Load(g + i + 3 * TOps.Count), TOps.Load(v + i + 3 * TOps.Count), a3);
                        }
                        for (; i + TOps.Count <= run; i += TOps.Count)
                        {
                            a0 = TOps.MultiplyAdd(TOps.Load(g + i), TOps.Load(v + i), a0);
                        }
                        for (; i < run; i++)
                        {
                            tail = MathF.FusedMultiplyAdd(g[i], v[i], tail);
                        }
                    }
                    sum = TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3))) + tail;
                }
                float* target = dw + ky * k + kx;
                *target = accumulate ? *target + sum : sum;
            }
        }
    }

    /// <summary>The geometry first (the lengths below divide by the stride), named as this kernel's.</summary>
    private static void Validate(in BatchMinorDepthwiseShape s)
    {
        try
        {
            s.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"BatchMinorDepthwise: {e.Message}", e);
        }
    }

    private static void CheckLength(in BatchMinorDepthwiseShape s, long length, string name, long needed)
    {
        if (length < needed)
        {
            throw new ArgumentException(
                $"BatchMinorDepthwise: {name} holds {length} elements, {needed} needed for {s}.", name);
        }
    }
}

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
/// <para>Each pass can take a fused ReLU on x (<c>reluInput</c>), as <see cref="DepthwiseConv2dKernel"/> does: DARTS
/// puts a ReLU before every depthwise convolution of its candidates, and materialising relu(x) cost a pass to write it,
/// one to read it back, and one more for the ReLU's own backward. Here the forward and the weight gradient apply
/// max(·, 0) in registers to every x vector they load, and the data gradient masks its sums by x &gt; 0 before it
/// stores them; no pass, buffer or allocation is added. The results are bit for bit those of the plain passes on
/// <see cref="ActivationKernel.Relu"/>(x), and for dx of <see cref="ActivationKernel.ReluBackward"/> after the plain
/// data gradient.</para>
/// </remarks>
public static unsafe class BatchMinorDepthwiseKernel
{
    /// <summary>y = Σ_taps w · x (shifted), or with <paramref name="reluInput"/> Σ_taps w · relu(x) (shifted).
    /// </summary>
    public static void Forward(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        Span<float> y, bool reluInput = false) => Forward(s, x, w, y, reluInput, SimdWidth.Best);

    /// <summary>The public <c>Forward</c> at a chosen vector width (tests run every width side by side).</summary>
    internal static void Forward(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        Span<float> y, bool reluInput, SimdWidth simdWidth)
    {
        Validate(s);
        CheckLength(s, x.Length, nameof(x), s.InputLength);
        CheckLength(s, w.Length, nameof(w), s.WeightLength);
        CheckLength(s, y.Length, nameof(y), s.OutputLength);
        var shape = s;
        var width = SimdWidthResolver.Resolve(simdWidth);
        fixed (float* px = x, pw = w, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ya = (nint)py;
            ForChannelChunks(s, (first, last) =>
            {
                int k2 = shape.Kernel * shape.Kernel;
                for (int c = first; c < last; c++)
                {
                    Gather(width, reluInput, (float*)xa + c * shape.Height * shape.Width * (long)shape.Batch,
                        shape.Height, shape.Width,
                        (float*)ya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                        shape.OutHeight, shape.OutWidth, (float*)wa + c * k2, shape.Kernel, shape.Dilation,
                        shape.Padding, shape.Stride, shape.Batch, accumulate: false, mask: null);
                }
            });
        }
    }

    /// <summary>dx (= or +=) the gradient of the forward pass with respect to x.</summary>
    /// <remarks>The transpose of a stride-1 gather is again a gather: dx at (i, j) collects w[ky, kx] · dy at
    /// (i + pad − ky·d, j + pad − kx·d), which is the forward pass of dy with the kernel flipped and padding
    /// d·(k − 1) − pad. A strided convolution's transpose is not a plain gather (which taps reach an input cell
    /// depends on its parity), so there each output position adds its taps into dx (a scatter in a fixed order).
    /// <para>With a fused ReLU each dx cell's sum must be masked before it meets dx, so the strided case runs as a
    /// gather instead (<see cref="TransposedGather{TV, TOps}"/>), adding the same terms in the scatter's order.</para>
    /// </remarks>
    /// <param name="reluInputOf">Empty, or the x of a forward with a fused ReLU: dx is then the gradient with respect
    /// to that x, the plain gradient where x &gt; 0 and zero elsewhere (x = ±0 or NaN included), and with
    /// <paramref name="accumulate"/> that masked gradient is added to dx: bit for bit the plain pass (not
    /// accumulating) followed by <see cref="ActivationKernel.ReluBackward"/>, as in
    /// <see cref="DepthwiseConv2dKernel.BackwardData"/>.</param>
    public static void BackwardData(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        Span<float> dx, bool accumulate, ReadOnlySpan<float> reluInputOf = default) =>
        BackwardData(s, dy, w, dx, accumulate, reluInputOf, SimdWidth.Best);

    /// <summary>The public <c>BackwardData</c> at a chosen vector width.</summary>
    internal static void BackwardData(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        Span<float> dx, bool accumulate, ReadOnlySpan<float> reluInputOf, SimdWidth simdWidth)
    {
        Validate(s);
        CheckLength(s, dy.Length, nameof(dy), s.OutputLength);
        CheckLength(s, w.Length, nameof(w), s.WeightLength);
        CheckLength(s, dx.Length, nameof(dx), s.InputLength);
        if (!reluInputOf.IsEmpty)
        {
            CheckLength(s, reluInputOf.Length, nameof(reluInputOf), s.InputLength);
        }
        var shape = s;
        var width = SimdWidthResolver.Resolve(simdWidth);
        fixed (float* pdy = dy, pw = w, pdx = dx, pm = reluInputOf)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx, ma = reluInputOf.IsEmpty ? 0 : (nint)pm;
            ForChannelChunks(s, (first, last) =>
            {
                int k = shape.Kernel, k2 = k * k;
                float* flipped = stackalloc float[k2];
                // (tap, output) pairs of one dx row and one dx column for the strided masked gather.
                int* taps = stackalloc int[4 * k];
                for (int c = first; c < last; c++)
                {
                    long plane = c * shape.Height * shape.Width * (long)shape.Batch;
                    float* mask = ma == 0 ? null : (float*)ma + plane;
                    if (shape.Stride != 1)
                    {
                        float* dyc = (float*)dya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch;
                        if (mask == null)
                        {
                            Scatter(width, shape, dyc, (float*)dxa + plane, (float*)wa + c * k2, accumulate);
                        }
                        else
                        {
                            TransposedGather(width, shape, dyc, (float*)dxa + plane, (float*)wa + c * k2, accumulate,
                                mask, taps, taps + 2 * k);
                        }
                        continue;
                    }
                    float* wc = (float*)wa + c * k2;
                    for (int t = 0; t < k2; t++)
                    {
                        flipped[t] = wc[k2 - 1 - t];
                    }
                    Gather(width, reluSource: false,
                        (float*)dya + c * shape.OutHeight * shape.OutWidth * (long)shape.Batch,
                        shape.OutHeight, shape.OutWidth, (float*)dxa + plane, shape.Height, shape.Width,
                        flipped, k, shape.Dilation, shape.Dilation * (k - 1) - shape.Padding, 1, shape.Batch,
                        accumulate, mask);
                }
            });
        }
    }

    /// <summary>dw (= or +=) Σ over positions and images of dy · x (shifted by the tap).</summary>
    /// <remarks>For one tap the output positions whose shifted input is in bounds form a rectangle, and each of its
    /// rows is one contiguous run of dy and one of x (the batch is innermost): the tap's sum is a dot product over
    /// those runs, with no bounds test inside.</remarks>
    /// <param name="reluInput">Whether the forward took relu(x): the sums then read relu(x), applied as x is loaded.
    /// </param>
    public static void BackwardWeight(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dw, bool accumulate, bool reluInput = false) =>
        BackwardWeight(s, x, dy, dw, accumulate, reluInput, SimdWidth.Best);

    /// <summary>The public <c>BackwardWeight</c> at a chosen vector width.</summary>
    internal static void BackwardWeight(in BatchMinorDepthwiseShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dw, bool accumulate, bool reluInput, SimdWidth simdWidth)
    {
        Validate(s);
        CheckLength(s, x.Length, nameof(x), s.InputLength);
        CheckLength(s, dy.Length, nameof(dy), s.OutputLength);
        CheckLength(s, dw.Length, nameof(dw), s.WeightLength);
        var shape = s;
        var width = SimdWidthResolver.Resolve(simdWidth);
        fixed (float* px = x, pdy = dy, pdw = dw)
        {
            nint xa = (nint)px, dya = (nint)pdy, dwa = (nint)pdw;
            ForChannelChunks(s, (first, last) =>
            {
                for (int c = first; c < last; c++)
                {
                    WeightChannel(width, reluInput, shape,
                        (float*)xa + c * shape.Height * shape.Width * (long)shape.Batch,
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

    private static void Gather(SimdWidth width, bool reluSource, float* src, int srcH, int srcW, float* dst,
        int dstH, int dstW, float* w, int k, int d, int pad, int s, int n, bool accumulate, float* mask)
    {
        switch (width)
        {
            case SimdWidth.V512:
                GatherWith<Vector512<float>, FloatOps512>(reluSource, src, srcH, srcW, dst, dstH, dstW, w, k, d,
                    pad, s, n, accumulate, mask);
                break;
            case SimdWidth.V256:
                GatherWith<Vector256<float>, FloatOps256>(reluSource, src, srcH, srcW, dst, dstH, dstW, w, k, d,
                    pad, s, n, accumulate, mask);
                break;
            case SimdWidth.V128:
                GatherWith<Vector128<float>, FloatOps128>(reluSource, src, srcH, srcW, dst, dstH, dstW, w, k, d,
                    pad, s, n, accumulate, mask);
                break;
            default:
                GatherWith<float, FloatOpsScalar>(reluSource, src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n,
                    accumulate, mask);
                break;
        }
    }

    private static void GatherWith<TV, TOps>(bool reluSource, float* src, int srcH, int srcW, float* dst, int dstH,
        int dstW, float* w, int k, int d, int pad, int s, int n, bool accumulate, float* mask)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        if (reluSource)
        {
            Gather<TV, TOps, ReluLoad<TV, TOps>>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n, accumulate,
                mask);
        }
        else
        {
            Gather<TV, TOps, PlainLoad<TV, TOps>>(src, srcH, srcW, dst, dstH, dstW, w, k, d, pad, s, n, accumulate,
                mask);
        }
    }

    /// <summary>dst[o] (= or +=) Σ_{ky, kx in bounds} w[ky, kx] · src[o·s − pad + (ky, kx)·d], every lane alike;
    /// src read through <typeparamref name="TLoad"/>, the sums masked by <paramref name="mask"/> when it is not null
    /// (<see cref="StoreSum{TV, TOps}"/>).</summary>
    private static void Gather<TV, TOps, TLoad>(float* src, int srcH, int srcW, float* dst, int dstH, int dstW,
        float* w, int k, int d, int pad, int s, int n, bool accumulate, float* mask)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TLoad : struct, IInputLoad<TV>
    {
        int lanes = TOps.Count;
        long rowFloats = (long)srcW * n;
        // A masked sum starts from zero: dst is added after the mask (ReluBackward's order), not carried in the sum.
        bool startFromDst = accumulate && mask == null;
        for (int oy = 0; oy < dstH; oy++)
        {
            (int kyLo, int kyHi) = TapRange(oy * s, pad, d, k, srcH);
            for (int ox = 0; ox < dstW; ox++)
            {
                (int kxLo, int kxHi) = TapRange(ox * s, pad, d, k, srcW);
                long cell = ((long)oy * dstW + ox) * n;
                float* o = dst + cell;
                float* m = mask == null ? null : mask + cell;
                // The window's first in-bounds source cell; tap (ky, kx) reads d·(ky − kyLo) rows and
                // d·(kx − kxLo) cells further on.
                float* origin = src + (oy * s - pad + kyLo * d) * rowFloats + (long)(ox * s - pad + kxLo * d) * n;
                int lane = 0;
                for (; lane + 4 * lanes <= n; lane += 4 * lanes)
                {
                    TV a0, a1, a2, a3;
                    if (startFromDst)
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
                            a0 = TOps.MultiplyAdd(TLoad.Load(p), wv, a0);
                            a1 = TOps.MultiplyAdd(TLoad.Load(p + lanes), wv, a1);
                            a2 = TOps.MultiplyAdd(TLoad.Load(p + 2 * lanes), wv, a2);
                            a3 = TOps.MultiplyAdd(TLoad.Load(p + 3 * lanes), wv, a3);
                        }
                    }
                    StoreSum<TV, TOps>(o, m, lane, a0, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + lanes, a1, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + 2 * lanes, a2, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + 3 * lanes, a3, accumulate);
                }
                for (; lane + lanes <= n; lane += lanes)
                {
                    var a = startFromDst ? TOps.Load(o + lane) : TOps.Zero;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        float* row = origin + (ky - kyLo) * d * rowFloats + lane;
                        for (int kx = kxLo; kx < kxHi; kx++)
                        {
                            a = TOps.MultiplyAdd(TLoad.Load(row + (long)(kx - kxLo) * d * n),
                                TOps.Broadcast(w[ky * k + kx]), a);
                        }
                    }
                    StoreSum<TV, TOps>(o, m, lane, a, accumulate);
                }
                for (; lane < n; lane++)
                {
                    float a = startFromDst ? o[lane] : 0f;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        float* row = origin + (ky - kyLo) * d * rowFloats + lane;
                        for (int kx = kxLo; kx < kxHi; kx++)
                        {
                            a = MathF.FusedMultiplyAdd(TLoad.LoadOne(row + (long)(kx - kxLo) * d * n),
                                w[ky * k + kx], a);
                        }
                    }
                    StoreSum(o, m, lane, a, accumulate);
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

    /// <summary>Stores one vector of sums at <c>dst + lane</c>. Without a mask, as it is (a sum that started from dst
    /// when accumulating). With a mask (the forward's x, laid out as dst): the sum where x &gt; 0 and zero elsewhere,
    /// then added to dst when accumulating: <see cref="ActivationKernel.ReluBackward"/>'s select and add, lane for
    /// lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum<TV, TOps>(float* dst, float* mask, int lane, TV sum, bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        if (mask != null)
        {
            // A select, not a multiply by 0/1: x = NaN gives 0, and an infinite sum masked out gives 0, not NaN.
            sum = TOps.KeepWhereGreater(TOps.Load(mask + lane), TOps.Zero, sum);
            if (accumulate)
            {
                sum = TOps.Add(TOps.Load(dst + lane), sum);
            }
        }
        TOps.Store(dst + lane, sum);
    }

    /// <summary>The scalar tail's <see cref="StoreSum{TV, TOps}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum(float* dst, float* mask, int lane, float sum, bool accumulate)
    {
        if (mask != null)
        {
            sum = mask[lane] > 0 ? sum : 0f;
            if (accumulate)
            {
                sum = dst[lane] + sum;
            }
        }
        dst[lane] = sum;
    }

    private static void TransposedGather(SimdWidth width, in BatchMinorDepthwiseShape shape, float* dy, float* dx,
        float* w, bool accumulate, float* mask, int* rowTaps, int* columnTaps)
    {
        switch (width)
        {
            case SimdWidth.V512:
                TransposedGather<Vector512<float>, FloatOps512>(shape, dy, dx, w, accumulate, mask, rowTaps,
                    columnTaps);
                break;
            case SimdWidth.V256:
                TransposedGather<Vector256<float>, FloatOps256>(shape, dy, dx, w, accumulate, mask, rowTaps,
                    columnTaps);
                break;
            case SimdWidth.V128:
                TransposedGather<Vector128<float>, FloatOps128>(shape, dy, dx, w, accumulate, mask, rowTaps,
                    columnTaps);
                break;
            default:
                TransposedGather<float, FloatOpsScalar>(shape, dy, dx, w, accumulate, mask, rowTaps, columnTaps);
                break;
        }
    }

    /// <summary>One channel's data gradient at any stride, as a gather: each dx cell p sums w[tap] · dy[o] over the
    /// (o, tap) with o·s − pad + tap·d = p, then is stored through <see cref="StoreSum{TV, TOps}"/> (masked when
    /// <paramref name="mask"/> is not null). The fused-ReLU data gradient of a strided convolution.</summary>
    /// <remarks>The mask needs a cell's whole sum before anything reaches dx, which <see cref="Scatter{TV, TOps}"/>
    /// never holds. A cell's terms taken in descending tap order come in ascending output order, the order the
    /// scatter adds them in, so each sum is the scatter's FMA chain and the result is bit for bit the plain pass
    /// masked afterwards. <paramref name="rowTaps"/> and <paramref name="columnTaps"/> hold 2·k ints each.</remarks>
    private static void TransposedGather<TV, TOps>(in BatchMinorDepthwiseShape shape, float* dy, float* dx, float* w,
        bool accumulate, float* mask, int* rowTaps, int* columnTaps)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int k = shape.Kernel, d = shape.Dilation, pad = shape.Padding, s = shape.Stride, n = shape.Batch;
        int lanes = TOps.Count;
        long outRowFloats = (long)shape.OutWidth * n;
        bool startFromDst = accumulate && mask == null;
        for (int iy = 0; iy < shape.Height; iy++)
        {
            int rows = TransposedTaps(iy, pad, d, s, k, shape.OutHeight, rowTaps);
            for (int ix = 0; ix < shape.Width; ix++)
            {
                int columns = TransposedTaps(ix, pad, d, s, k, shape.OutWidth, columnTaps);
                long cell = ((long)iy * shape.Width + ix) * n;
                float* o = dx + cell;
                float* m = mask == null ? null : mask + cell;
                int lane = 0;
                for (; lane + 4 * lanes <= n; lane += 4 * lanes)
                {
                    TV a0, a1, a2, a3;
                    if (startFromDst)
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
                    for (int ty = 0; ty < rows; ty++)
                    {
                        float* g = dy + rowTaps[2 * ty + 1] * outRowFloats + lane;
                        float* wr = w + rowTaps[2 * ty] * k;
                        for (int tx = 0; tx < columns; tx++)
                        {
                            var wv = TOps.Broadcast(wr[columnTaps[2 * tx]]);
                            float* p = g + (long)columnTaps[2 * tx + 1] * n;
                            a0 = TOps.MultiplyAdd(TOps.Load(p), wv, a0);
                            a1 = TOps.MultiplyAdd(TOps.Load(p + lanes), wv, a1);
                            a2 = TOps.MultiplyAdd(TOps.Load(p + 2 * lanes), wv, a2);
                            a3 = TOps.MultiplyAdd(TOps.Load(p + 3 * lanes), wv, a3);
                        }
                    }
                    StoreSum<TV, TOps>(o, m, lane, a0, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + lanes, a1, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + 2 * lanes, a2, accumulate);
                    StoreSum<TV, TOps>(o, m, lane + 3 * lanes, a3, accumulate);
                }
                for (; lane + lanes <= n; lane += lanes)
                {
                    var a = startFromDst ? TOps.Load(o + lane) : TOps.Zero;
                    for (int ty = 0; ty < rows; ty++)
                    {
                        float* g = dy + rowTaps[2 * ty + 1] * outRowFloats + lane;
                        float* wr = w + rowTaps[2 * ty] * k;
                        for (int tx = 0; tx < columns; tx++)
                        {
                            a = TOps.MultiplyAdd(TOps.Load(g + (long)columnTaps[2 * tx + 1] * n),
                                TOps.Broadcast(wr[columnTaps[2 * tx]]), a);
                        }
                    }
                    StoreSum<TV, TOps>(o, m, lane, a, accumulate);
                }
                for (; lane < n; lane++)
                {
                    float a = startFromDst ? o[lane] : 0f;
                    for (int ty = 0; ty < rows; ty++)
                    {
                        float* g = dy + rowTaps[2 * ty + 1] * outRowFloats + lane;
                        float* wr = w + rowTaps[2 * ty] * k;
                        for (int tx = 0; tx < columns; tx++)
                        {
                            a = MathF.FusedMultiplyAdd(g[(long)columnTaps[2 * tx + 1] * n], wr[columnTaps[2 * tx]], a);
                        }
                    }
                    StoreSum(o, m, lane, a, accumulate);
                }
            }
        }
    }

    /// <summary>Writes the taps t that reach input index <paramref name="i"/> from an output o in
    /// [0, <paramref name="outputs"/>), o·s − pad + t·d = i, as (t, o) pairs in descending t (ascending o) order;
    /// returns how many.</summary>
    private static int TransposedTaps(int i, int pad, int d, int s, int k, int outputs, int* taps)
    {
        int count = 0;
        for (int t = k - 1; t >= 0; t--)
        {
            int at = i + pad - t * d; // o·s; grows as t falls
            if (at < 0 || at % s != 0)
            {
                continue;
            }
            int o = at / s;
            if (o >= outputs)
            {
                break;
            }
            taps[2 * count] = t;
            taps[2 * count + 1] = o;
            count++;
        }
        return count;
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

    private static void WeightChannel(SimdWidth width, bool reluInput, in BatchMinorDepthwiseShape s, float* x,
        float* dy, float* dw, bool accumulate)
    {
        switch (width)
        {
            case SimdWidth.V512:
                WeightChannelWith<Vector512<float>, FloatOps512>(reluInput, s, x, dy, dw, accumulate);
                break;
            case SimdWidth.V256:
                WeightChannelWith<Vector256<float>, FloatOps256>(reluInput, s, x, dy, dw, accumulate);
                break;
            case SimdWidth.V128:
                WeightChannelWith<Vector128<float>, FloatOps128>(reluInput, s, x, dy, dw, accumulate);
                break;
            default:
                WeightChannelWith<float, FloatOpsScalar>(reluInput, s, x, dy, dw, accumulate);
                break;
        }
    }

    private static void WeightChannelWith<TV, TOps>(bool reluInput, in BatchMinorDepthwiseShape s, float* x,
        float* dy, float* dw, bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        if (reluInput)
        {
            WeightChannel<TV, TOps, ReluLoad<TV, TOps>>(s, x, dy, dw, accumulate);
        }
        else
        {
            WeightChannel<TV, TOps, PlainLoad<TV, TOps>>(s, x, dy, dw, accumulate);
        }
    }

    /// <summary>One channel's dw (= or +=); x read through <typeparamref name="TLoad"/>.</summary>
    private static void WeightChannel<TV, TOps, TLoad>(in BatchMinorDepthwiseShape s, float* x, float* dy, float* dw,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TLoad : struct, IInputLoad<TV>
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
                            a0 = TOps.MultiplyAdd(TOps.Load(g + i), TLoad.Load(v + i), a0);
                            a1 = TOps.MultiplyAdd(TOps.Load(g + i + TOps.Count), TLoad.Load(v + i + TOps.Count), a1);
                            a2 = TOps.MultiplyAdd(TOps.Load(g + i + 2 * TOps.Count),
                                TLoad.Load(v + i + 2 * TOps.Count), a2);
                            a3 = TOps.MultiplyAdd(TOps.Load(g + i + 3 * TOps.Count),
                                TLoad.Load(v + i + 3 * TOps.Count), a3);
                        }
                        for (; i + TOps.Count <= run; i += TOps.Count)
                        {
                            a0 = TOps.MultiplyAdd(TOps.Load(g + i), TLoad.Load(v + i), a0);
                        }
                        for (; i < run; i++)
                        {
                            tail = MathF.FusedMultiplyAdd(g[i], TLoad.LoadOne(v + i), tail);
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

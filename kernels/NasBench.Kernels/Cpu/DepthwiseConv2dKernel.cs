using System.Buffers;
using System.Numerics.Tensors;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Depthwise convolution (Groups == InChannels == OutChannels) forward, backward-data and
/// backward-weight.</summary>
/// <remarks>
/// Contract is that of <see cref="Conv2dReference"/>: x [N, C, H, W], w [C, 1, KH, KW], bias [C] or empty,
/// y [N, C, OH, OW]; any kernel size, stride, padding and dilation. Direct SIMD kernels, vectorised along the
/// flattened output of one (n, c) plane (see <see cref="DepthwiseGeometry"/>); threads take fixed chunks of planes.
/// Backward-weight keeps one partial sum per fixed (channel, block of images) chunk and adds the partials in block
/// order, so every pass is bit-identical at any thread count.
/// </remarks>
public static unsafe class DepthwiseConv2dKernel
{
    /// <summary>Images of one channel stacked into one tall scratch plane, and the images of a backward-weight
    /// partial sum. Fixed, so the reduction order never depends on the thread count.</summary>
    /// <remarks>Stacking is what makes small maps fast: a 7×7 plane alone is a 73-float run per tap, dominated by
    /// per-plane set-up; eight stacked planes are one run of ~800. Each image keeps its own zero-padded block of
    /// rows, so no tap reads across images; the rows between images compute discarded values.</remarks>
    private const int ImagesPerBlock = 8;

    /// <summary>Stack images until a stacked phase plane holds about this many floats: enough to amortise the
    /// per-plane set-up on 7×7 and 14×14 maps, while 28×28 planes (already ~1 000 floats) stay L1-sized.</summary>
    private const int StackTargetFloats = 2048;

    /// <summary>At most this many chunks of (channel, image block) units per pass.</summary>
    private const int MaxChunks = 64;

    /// <summary>y = depthwise conv(x, w) + bias, or with <paramref name="reluInput"/> depthwise conv(relu(x), w) +
    /// bias.</summary>
    /// <remarks>The fused ReLU costs nothing: every plane is copied into zero-padded scratch anyway, and the copy
    /// applies max(·, 0). DARTS puts a ReLU before every depthwise conv of its candidates, and materialising it was a
    /// full read and write of the activation forward and two more backward.</remarks>
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, w.Length, bias.Length, nameof(bias));
        CheckLength(y.Length, s.OutputLength, nameof(y));
        var geo = new DepthwiseGeometry(s);
        var units = new BlockUnits(s, geo);
        int chunks = Math.Min(units.Count, MaxChunks);
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint xa = (nint)px, ba = bias.IsEmpty ? 0 : (nint)pb;
            DepthwiseGeometry[] geos = [geo];
            nint[] wa = [(nint)pw], ya = [(nint)py];
            CpuParallel.For(chunks, chunk =>
            {
                (int first, int end) = ChunkRange(units.Count, chunks, chunk);
                ForwardUnits(geos, units, first, end, (float*)xa, wa, ya, (float*)ba, geo.Taps, reluInput);
            });
        }
    }

    /// <summary>Several depthwise convolutions of one input, <c>y[b] = depthwise conv(x, w[b])</c> (of relu(x) with
    /// <paramref name="reluInput"/>), each plane of x copied into padded scratch once for all of them.</summary>
    /// <remarks>The copy into zero-padded scratch reads the input from L3 or memory and is the largest single cost of a
    /// DARTS supernet step; the four separable and dilated candidates of a mixed edge all start with ReLU → depthwise
    /// of the edge input, so one copy serves four. The scratch carries the widest padding of the group and every
    /// convolution's taps start that much further in. Each output equals <see cref="Forward"/>'s bit for bit (every
    /// element is the same fused multiply-add chain in tap order). No bias.
    /// <para>The shapes must agree in batch, channels, input size, stride and output size (same-size convolutions
    /// with their own kernel size, padding and dilation).</para></remarks>
    /// <param name="shapes">One depthwise shape per convolution.</param>
    /// <param name="x">[N, C, H, W], shared.</param>
    /// <param name="weights">w[b]: [C, 1, KH_b, KW_b].</param>
    /// <param name="outputs">y[b]: [N, C, OH, OW].</param>
    public static void ForwardShared(ReadOnlySpan<Conv2dShape> shapes, ReadOnlySpan<float> x,
        ReadOnlySpan<ReadOnlyMemory<float>> weights, ReadOnlySpan<Memory<float>> outputs, bool reluInput = false)
    {
        if (shapes.IsEmpty || weights.Length != shapes.Length || outputs.Length != shapes.Length)
        {
            throw new ArgumentException($"ForwardShared needs one weight and one output per shape, got {shapes.Length} "
                + $"shapes, {weights.Length} weights and {outputs.Length} outputs.", nameof(shapes));
        }
        var first = shapes[0];
        int padH = 0, padW = 0, totalTaps = 0;
        for (int b = 0; b < shapes.Length; b++)
        {
            var s = shapes[b];
            s.Validate();
            Check(s, x.Length, nameof(x), s.InputLength, weights[b].Length, 0, nameof(weights));
            CheckLength(outputs[b].Length, s.OutputLength, nameof(outputs));
            if (s.Batch != first.Batch || s.InChannels != first.InChannels || s.Height != first.Height ||
                s.Width != first.Width || s.StrideH != first.StrideH || s.StrideW != first.StrideW ||
                s.OutHeight != first.OutHeight || s.OutWidth != first.OutWidth)
            {
                throw new ArgumentException($"ForwardShared: shape {b} ({s}) differs from shape 0 ({first}) in batch, "
                    + "channels, input size, stride or output size.", nameof(shapes));
            }
            padH = Math.Max(padH, s.PadH);
            padW = Math.Max(padW, s.PadW);
            totalTaps += s.KernelH * s.KernelW;
        }
        var geos = new DepthwiseGeometry[shapes.Length];
        for (int b = 0; b < shapes.Length; b++)
        {
            geos[b] = new DepthwiseGeometry(shapes[b], padH, padW);
        }
        // Units and scratch depend only on the common scratch planes, the same for every convolution.
        var units = new BlockUnits(first, geos[0]);
        int chunks = Math.Min(units.Count, MaxChunks);
        var pins = new System.Buffers.MemoryHandle[2 * shapes.Length];
        var wa = new nint[shapes.Length];
        var ya = new nint[shapes.Length];
        try
        {
            for (int b = 0; b < shapes.Length; b++)
            {
                pins[2 * b] = weights[b].Pin();
                pins[(2 * b) + 1] = outputs[b].Pin();
                wa[b] = (nint)pins[2 * b].Pointer;
                ya[b] = (nint)pins[(2 * b) + 1].Pointer;
            }
            fixed (float* px = x)
            {
                nint xa = (nint)px;
                CpuParallel.For(chunks, chunk =>
                {
                    (int start, int end) = ChunkRange(units.Count, chunks, chunk);
                    ForwardUnits(geos, units, start, end, (float*)xa, wa, ya, null, totalTaps, reluInput);
                });
            }
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    /// <summary>dx (= or +=) the gradient of the forward pass with respect to x.</summary>
    /// <param name="reluInputOf">Empty, or the x of a forward with a fused ReLU: dx is then the gradient with respect
    /// to that x (zero where x ≤ 0).</param>
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate, ReadOnlySpan<float> reluInputOf = default)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, dy.Length, nameof(dy), s.OutputLength, w.Length, 0, nameof(w));
        CheckLength(dx.Length, s.InputLength, nameof(dx));
        if (!reluInputOf.IsEmpty)
        {
            CheckLength(reluInputOf.Length, s.InputLength, nameof(reluInputOf));
        }
        var geo = new DepthwiseGeometry(s);
        var units = new BlockUnits(s, geo);
        int chunks = Math.Min(units.Count, MaxChunks);
        fixed (float* pdy = dy, pw = w, pdx = dx, pm = reluInputOf)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx, ma = reluInputOf.IsEmpty ? 0 : (nint)pm;
            CpuParallel.For(chunks, chunk =>
            {
                (int first, int end) = ChunkRange(units.Count, chunks, chunk);
                BackwardDataUnits(geo, units, first, end, (float*)dya, (float*)wa, (float*)dxa, accumulate,
                    (float*)ma);
            });
        }
    }

    /// <summary>dw (= or +=) Σ dy·x (Σ dy·relu(x) with <paramref name="reluInput"/>); dbias (= or +=) Σ dy when
    /// <paramref name="dbias"/> is not empty.</summary>
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, dw.Length, dbias.Length, nameof(dbias));
        CheckLength(dy.Length, s.OutputLength, nameof(dy));
        WeightPass(s, x, dy, dw, dbias, accumulate, reluInput, w: null, dx: null, accumulateDx: false);
    }

    /// <summary><see cref="BackwardData"/> and <see cref="BackwardWeight"/> in one pass, bit for bit the same
    /// results: each chunk of planes runs the data gradient and then the weight gradient, so the second reads the
    /// chunk's dy and x planes from L2 instead of memory (a backward of the DARTS edge shape [64,16,28,28] streams
    /// 3.2 MB of each twice otherwise).</summary>
    /// <param name="dx">The gradient of x (zero where x ≤ 0 with <paramref name="reluInput"/>).</param>
    public static void Backward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        Span<float> dx, bool accumulateDx, Span<float> dw, Span<float> dbias, bool accumulateW,
        bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, w.Length, dbias.Length, nameof(dbias));
        CheckLength(dy.Length, s.OutputLength, nameof(dy));
        CheckLength(dx.Length, s.InputLength, nameof(dx));
        CheckLength(dw.Length, s.WeightLength, nameof(dw));
        fixed (float* pw = w, pdx = dx)
        {
            WeightPass(s, x, dy, dw, dbias, accumulateW, reluInput, pw, pdx, accumulateDx);
        }
    }

    /// <summary>The weight gradient over fixed chunks of units, then the fixed-order reduction of their partial sums;
    /// with <paramref name="dx"/> not null each chunk first runs the data gradient of its planes
    /// (<see cref="Backward"/>). Arguments are checked by the callers.</summary>
    private static void WeightPass(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate, bool reluInput, float* w, float* dx, bool accumulateDx)
    {
        var geo = new DepthwiseGeometry(s);
        var units = new BlockUnits(s, geo);
        int taps = geo.Taps;
        int chunks = Math.Min(units.Count, MaxChunks);
        // One partial row of (taps weights + 1 bias) per (channel, image block) unit.
        int stride = taps + 1;
        float[] partial = ArrayPool<float>.Shared.Rent(units.Count * stride);
        try
        {
            fixed (float* px = x, pdy = dy, pp = partial)
            {
                nint xa = (nint)px, dya = (nint)pdy, pa = (nint)pp, wa = (nint)w, dxa = (nint)dx;
                bool wantBias = !dbias.IsEmpty;
                CpuParallel.For(chunks, chunk =>
                {
                    (int first, int end) = ChunkRange(units.Count, chunks, chunk);
                    if (dxa != 0)
                    {
                        BackwardDataUnits(geo, units, first, end, (float*)dya, (float*)wa, (float*)dxa, accumulateDx,
                            reluInput ? (float*)xa : null);
                    }
                    WeightUnits(geo, units, first, end, (float*)xa, (float*)dya, (float*)pa, stride, wantBias,
                        reluInput);
                });
            }
            ReducePartials(units, partial, stride, taps, dw, dbias, accumulate);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>dw and dbias (= or +=) the per-unit partial sums, added over image blocks in block order.</summary>
    private static void ReducePartials(BlockUnits units, float[] partial, int stride, int taps, Span<float> dw,
        Span<float> dbias, bool accumulate)
    {
        for (int ch = 0; ch < units.Channels; ch++)
        {
            for (int t = 0; t <= taps; t++)
            {
                if (t == taps && dbias.IsEmpty)
                {
                    break;
                }
                float sum = 0;
                for (int b = 0; b < units.Blocks; b++)
                {
                    sum += partial[(units.Index(ch, b) * stride) + t];
                }
                ref float target = ref t == taps ? ref dbias[ch] : ref dw[(ch * taps) + t];
                target = accumulate ? target + sum : sum;
            }
        }
    }

    /// <summary>Work units: (channel, block of up to <see cref="Stack"/> images), block-major.</summary>
    /// <remarks>The stack depends only on the shape, so the backward-weight reduction order does not depend on the
    /// thread count. Block-major because consecutive units then read the next planes of the same images, which are
    /// adjacent in NCHW memory, so the hardware prefetcher streams them; channel-major jumped C·H·W floats from one
    /// unit to the next. The copy into padded scratch that takes the cache misses is the largest single cost of a
    /// supernet step; in paired runs of `supernet-time` the weight step was 3–15 % faster block-major.</remarks>
    private readonly struct BlockUnits(in Conv2dShape s, DepthwiseGeometry geo)
    {
        public int Stack { get; } =
            Math.Clamp(StackTargetFloats / Math.Max(1, Math.Max(geo.PhaseLength, geo.DLength)), 1, ImagesPerBlock);

        public int Channels { get; } = s.InChannels;

        public int Batch { get; } = s.Batch;

        public int Blocks => (Batch + Stack - 1) / Stack;

        public int Count => Channels * Blocks;

        public int Index(int channel, int block) => (block * Channels) + channel;

        /// <summary>Channel and image range of unit <paramref name="u"/>.</summary>
        public (int Channel, int N0, int Count) Of(int u)
        {
            int channel = u % Channels, n0 = u / Channels * Stack;
            return (channel, n0, Math.Min(Stack, Batch - n0));
        }
    }

    /// <summary>Forward of units [first, end) for one or more convolutions of x (<see cref="ForwardShared"/>): each
    /// input plane is copied into scratch once, then every convolution's taps run over it.</summary>
    private static void ForwardUnits(DepthwiseGeometry[] geos, BlockUnits units, int first, int end, float* x,
        nint[] weights, nint[] outputs, float* bias, int totalTaps, bool relu)
    {
        var geo = geos[0];
        var s = geo.Shape;
        int hw = s.Height * s.Width, c = s.InChannels;
        long phaseStride = (long)units.Stack * geo.PhaseLength;
        long phaseFloats = geo.Phases * phaseStride;
        float[] scratch = ArrayPool<float>.Shared.Rent((int)(phaseFloats + phaseStride));
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(totalTaps);
        bool* filled = stackalloc bool[ImagesPerBlock];
        new Span<bool>(filled, ImagesPerBlock).Clear();
        try
        {
            fixed (float* phases = scratch)
            fixed (nint* tapPtr = tapArray)
            {
                float* flat = phases + phaseFloats;
                var src = (float**)tapPtr;
                for (int b = 0, t0 = 0; b < geos.Length; t0 += geos[b].Taps, b++)
                {
                    geos[b].ForwardTaps(phases, src + t0, phaseStride);
                }
                for (int u = first; u < end; u++)
                {
                    var (ch, n0, count) = units.Of(u);
                    for (int i = 0; i < count; i++)
                    {
                        geo.FillPhases(phases + ((long)i * geo.PhaseLength), phaseStride,
                            x + ((((long)(n0 + i) * c) + ch) * hw), zerosInPlace: filled[i], relu);
                        filled[i] = true;
                    }
                    for (int b = 0, t0 = 0; b < geos.Length; t0 += geos[b].Taps, b++)
                    {
                        int taps = geos[b].Taps;
                        float* wb = (float*)weights[b] + ((long)ch * taps);
                        if (bias == null && SumRows(geos[b], src + t0, wb, (float*)outputs[b], ch, n0, count))
                        {
                            continue;
                        }
                        SumStacked(flat, geo.FlatLength, src + t0, wb, taps, count, geo.PhaseLength,
                            geos[b].GridSide, geos[b].ForwardRowStep);
                        CopyOut(geo, flat, (float*)outputs[b], bias, ch, n0, count);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The unit's outputs straight into y, image by image, where the shape allows
    /// (<see cref="TapGridKernels.SumRows"/>: stride 1, 3×3 or 5×5, rows at least a vector wide); false, having
    /// written nothing, otherwise. The same bits as the flat run and <see cref="CopyOut"/>.</summary>
    private static bool SumRows(DepthwiseGeometry geo, float** src, float* w, float* y, int ch, int n0, int count)
    {
        var s = geo.Shape;
        int ohw = s.OutHeight * s.OutWidth, c = s.InChannels;
        for (int i = 0; i < count; i++)
        {
            float* yp = y + ((((long)(n0 + i) * c) + ch) * ohw);
            if (!TapGridKernels.SumRows(yp, s.OutHeight, s.OutWidth, src, w, geo.GridSide, s.DilationH, geo.Wq))
            {
                // The shape decides (a GridSide of 0 is declined too), so only the first image can fail, before the
                // taps moved.
                return false;
            }
            OffsetTaps(src, geo.Taps, geo.PhaseLength);
        }
        OffsetTaps(src, geo.Taps, -count * (long)geo.PhaseLength);
        return true;
    }

    /// <summary>Crops the stacked flat outputs of one unit (row stride Wq) into y, adding the channel's bias if any.
    /// </summary>
    private static void CopyOut(DepthwiseGeometry geo, float* flat, float* y, float* bias, int ch, int n0, int count)
    {
        var s = geo.Shape;
        int ohw = s.OutHeight * s.OutWidth, c = s.InChannels;
        for (int i = 0; i < count; i++)
        {
            float* yp = y + ((((long)(n0 + i) * c) + ch) * ohw);
            float* block = flat + ((long)i * geo.PhaseLength);
            if (bias == null)
            {
                RowCopy.Rows(block, geo.Wq, yp, s.OutWidth, s.OutHeight, s.OutWidth, RowCopy.RowOp.Copy);
                continue;
            }
            for (int oy = 0; oy < s.OutHeight; oy++)
            {
                float* row = block + ((long)oy * geo.Wq), dst = yp + ((long)oy * s.OutWidth);
                if (bias == null)
                {
                    RowCopy.Copy(row, dst, s.OutWidth);
                }
                else
                {
                    RowCopy.CopyAdd(row, bias[ch], dst, s.OutWidth);
                }
            }
        }
    }

    private static void BackwardDataUnits(DepthwiseGeometry geo, BlockUnits units, int first, int end, float* dy,
        float* w, float* dx, bool accumulate, float* mask)
    {
        var s = geo.Shape;
        int hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth, taps = geo.Taps, c = s.InChannels;
        long dStride = geo.DLength;
        long stacked = units.Stack * dStride;
        // With a fused ReLU the phases are gathered into plane buffers first and the mask is applied to each whole
        // plane in one vector pass: masking inside the row scatter ran scalar, branchy code on the strided (stride 2)
        // and short-row paths and made the fused op slower than ReLU + convolution.
        long planeFloats = mask == null ? 0 : (long)units.Stack * hw;
        // Stride 2 across: both column phases are computed into their own flat buffers and merged row by row
        // (RowCopy.Interleave); scattering each phase alone wrote every other float, one at a time.
        bool merge = s.StrideW == 2 && s.Width >= 2 && geo.BHi(0) > geo.BLo(0) && geo.BHi(1) > geo.BLo(1);
        int flats = merge ? 2 : 1;
        float[] scratch = ArrayPool<float>.Shared.Rent((int)(((1 + flats) * stacked) + planeFloats));
        float[] weights = ArrayPool<float>.Shared.Rent(taps);
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(taps);
        bool* filled = stackalloc bool[ImagesPerBlock];
        new Span<bool>(filled, ImagesPerBlock).Clear();
        try
        {
            fixed (float* d = scratch, tw = weights)
            fixed (nint* tapPtr = tapArray)
            {
                float* flat = d + stacked;
                float* planes = flat + (flats * stacked);
                if (mask != null)
                {
                    // Positions no phase writes (none for stride ≤ kernel) must read as 0; the set is the same for
                    // every plane, so clearing once is enough.
                    new Span<float>(planes, (int)planeFloats).Clear();
                }
                var src = (float**)tapPtr;
                for (int u = first; u < end; u++)
                {
                    var (ch, n0, count) = units.Of(u);
                    for (int i = 0; i < count; i++)
                    {
                        PaddedPlane.Fill(d + (i * dStride), geo.Hd, geo.Wd, dy + ((((long)(n0 + i) * c) + ch) * ohw),
                            s.OutHeight, s.OutWidth, 1, geo.DRow0 - geo.MaxQy, 1, geo.DCol0 - geo.MaxQx,
                            zerosInPlace: filled[i]);
                        filled[i] = true;
                    }
                    for (int ry = 0; ry < s.StrideH; ry++)
                    {
                        int aLo = geo.ALo(ry), aHi = geo.AHi(ry);
                        if (aHi == aLo)
                        {
                            continue;
                        }
                        if (merge)
                        {
                            for (int rx = 0; rx < 2; rx++)
                            {
                                int n = geo.BackwardTaps(ry, rx, d, w + ((long)ch * taps), src, tw);
                                int length = ((aHi - aLo - 1) * geo.Wd) + (geo.BHi(rx) - geo.BLo(rx));
                                SumStacked(flat + (rx * stacked), length, src, tw, n, count, dStride);
                            }
                            // dx column 0 belongs to phase padW mod 2 and column 1 to the other, each from its
                            // first b.
                            float* even = flat + (s.PadW % 2 * stacked), odd = flat + ((1 - (s.PadW % 2)) * stacked);
                            for (int i = 0; i < count; i++)
                            {
                                float* target = mask == null
                                    ? dx + ((((long)(n0 + i) * c) + ch) * hw)
                                    : planes + ((long)i * hw);
                                for (int a = aLo; a < aHi; a++)
                                {
                                    long row = (i * dStride) + ((long)(a - aLo) * geo.Wd);
                                    int iy = (a * s.StrideH) + ry - s.PadH;
                                    RowCopy.Interleave(even + row, odd + row, target + ((long)iy * s.Width),
                                        s.Width, accumulate && mask == null);
                                }
                            }
                            continue;
                        }
                        for (int rx = 0; rx < s.StrideW; rx++)
                        {
                            int bLo = geo.BLo(rx), bHi = geo.BHi(rx);
                            if (bHi == bLo)
                            {
                                continue;
                            }
                            int n = geo.BackwardTaps(ry, rx, d, w + ((long)ch * taps), src, tw);
                            int length = ((aHi - aLo - 1) * geo.Wd) + (bHi - bLo);
                            if (geo.GridSide != 0)
                            {
                                // Backward taps step up a row as ky grows; reversed, they are a grid stepping down.
                                DepthwiseGeometry.ReverseTapRows(src, tw, geo.GridSide);
                            }
                            SumStacked(flat, length, src, tw, n, count, dStride, geo.GridSide, geo.BackwardRowStep);
                            for (int i = 0; i < count; i++)
                            {
                                float* target = mask == null
                                    ? dx + ((((long)(n0 + i) * c) + ch) * hw)
                                    : planes + ((long)i * hw);
                                Scatter(s, geo.Wd, flat + (i * dStride), target, ry, rx, aLo, aHi, bLo, bHi,
                                    accumulate && mask == null);
                            }
                        }
                    }
                    if (mask != null)
                    {
                        for (int i = 0; i < count; i++)
                        {
                            long plane = (((long)(n0 + i) * c) + ch) * hw;
                            RowCopy.Masked(planes + ((long)i * hw), mask + plane, dx + plane, hw, accumulate);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(weights);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Writes one computed phase of the padded dx plane into dx, cropping the padding.</summary>
    private static void Scatter(in Conv2dShape s, int wd, float* flat, float* dxp, int ry, int rx, int aLo, int aHi,
        int bLo, int bHi, bool accumulate)
    {
        if (s.StrideW == 1)
        {
            // bLo = PadW, so each row maps onto dx columns 0..W-1 one to one; rows are StrideH apart in dx.
            int iy0 = (aLo * s.StrideH) + ry - s.PadH;
            RowCopy.Rows(flat, wd, dxp + ((long)iy0 * s.Width), (long)s.StrideH * s.Width, aHi - aLo, s.Width,
                accumulate ? RowCopy.RowOp.Add : RowCopy.RowOp.Copy);
            return;
        }
        for (int a = aLo; a < aHi; a++)
        {
            int iy = (a * s.StrideH) + ry - s.PadH;
            float* row = flat + ((long)(a - aLo) * wd);
            float* dst = dxp + ((long)iy * s.Width);
            for (int b = bLo; b < bHi; b++)
            {
                int ix = (b * s.StrideW) + rx - s.PadW;
                float v = row[b - bLo];
                dst[ix] = accumulate ? dst[ix] + v : v;
            }
        }
    }

    private static void WeightUnits(DepthwiseGeometry geo, BlockUnits units, int first, int end, float* x, float* dy,
        float* partial, int partialStride, bool wantBias, bool relu)
    {
        var s = geo.Shape;
        int hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth, taps = geo.Taps, c = s.InChannels;
        long phaseStride = (long)units.Stack * geo.PhaseLength;
        long phaseFloats = geo.Phases * phaseStride;
        float[] scratch = ArrayPool<float>.Shared.Rent((int)(phaseFloats + phaseStride));
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(taps);
        bool* filled = stackalloc bool[ImagesPerBlock];
        new Span<bool>(filled, ImagesPerBlock).Clear();
        try
        {
            fixed (float* phases = scratch)
            fixed (nint* tapPtr = tapArray)
            {
                // dy laid out like the outputs of the stacked phase planes (row stride Wq, a block of Hq rows per
                // image); the discarded columns and rows are zero, so they add nothing to the dot products.
                float* g = phases + phaseFloats;
                var src = (float**)tapPtr;
                geo.ForwardTaps(phases, src, phaseStride);
                for (int u = first; u < end; u++)
                {
                    var (ch, n0, count) = units.Of(u);
                    float* acc = partial + ((long)u * partialStride);
                    new Span<float>(acc, taps + 1).Clear();
                    for (int i = 0; i < count; i++)
                    {
                        long p = ((long)(n0 + i) * c) + ch;
                        geo.FillPhases(phases + ((long)i * geo.PhaseLength), phaseStride, x + (p * hw),
                            zerosInPlace: filled[i], relu);
                        PaddedPlane.Fill(g + ((long)i * geo.PhaseLength), geo.Hq, geo.Wq, dy + (p * ohw),
                            s.OutHeight, s.OutWidth, 1, 0, 1, 0, zerosInPlace: filled[i]);
                        filled[i] = true;
                        if (wantBias)
                        {
                            acc[taps] += TensorPrimitives.Sum(new ReadOnlySpan<float>(dy + (p * ohw), ohw));
                        }
                    }
                    DotStacked(g, geo.FlatLength, src, acc, taps, count, geo.PhaseLength);
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Moves n tap pointers by <paramref name="offset"/> floats (to the next image of a stack, or back).
    /// </summary>
    private static void OffsetTaps(float** src, int n, long offset)
    {
        for (int t = 0; t < n; t++)
        {
            src[t] += offset;
        }
    }

    /// <summary>Whether the taps run over each image's flat run (<paramref name="length"/> floats) apart instead of
    /// one run over the whole stack of planes <paramref name="stride"/> floats apart: when the padding rows between
    /// images are at least a third of the stack. Around 7×7 planes (up to 4 padding rows each side for the dilated
    /// 5×5, and for every head sharing its scratch) they were most of it; around 14×14 and 28×28 planes with small
    /// padding the extra calls cost more than the rows they skip (paired kernel runs).</summary>
    private static bool RunsPerImage(long stride, int length) => 2 * stride >= 3L * length;

    /// <summary><see cref="TapKernels.Sum"/> over the flat runs of <paramref name="count"/> stacked images
    /// (<paramref name="stride"/> floats apart), as one run or per image (<see cref="RunsPerImage"/>). Per image, the
    /// tap pointers in src (image 0's) are moved image by image, then back.</summary>
    /// <param name="gridSide">Non-zero when the taps form a gridSide × gridSide grid with row step
    /// <paramref name="rowStep"/> (<see cref="TapGridKernels"/>).</param>
    private static void SumStacked(float* flat, int length, float** src, float* w, int taps, int count, long stride,
        int gridSide = 0, int rowStep = 0)
    {
        if (!RunsPerImage(stride, length))
        {
            Sum(flat, (int)(((count - 1) * stride) + length), src, w, taps, gridSide, rowStep);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            Sum(flat + (i * stride), length, src, w, taps, gridSide, rowStep);
            OffsetTaps(src, taps, stride);
        }
        OffsetTaps(src, taps, -count * stride);
    }

    private static void Sum(float* dst, int length, float** src, float* w, int taps, int gridSide, int rowStep)
    {
        if (gridSide != 0)
        {
            TapGridKernels.Sum(dst, length, src, w, gridSide, rowStep);
        }
        else
        {
            TapKernels.Sum(dst, length, src, w, taps);
        }
    }

    /// <summary><see cref="TapKernels.Dot"/> over stacked images, as <see cref="SumStacked"/> runs the sum.</summary>
    private static void DotStacked(float* g, int length, float** src, float* acc, int taps, int count, long stride)
    {
        if (!RunsPerImage(stride, length))
        {
            TapKernels.Dot(g, (int)(((count - 1) * stride) + length), src, acc, taps);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            TapKernels.Dot(g + (i * stride), length, src, acc, taps);
            OffsetTaps(src, taps, stride);
        }
        OffsetTaps(src, taps, -count * stride);
    }

    private static (int First, int End) ChunkRange(int count, int chunks, int chunk) =>
        ((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));

    private static void Check(in Conv2dShape s, int dataLength, string dataName, int dataExpected, int wLength,
        int biasLength, string biasName)
    {
        if (!s.IsDepthwise)
        {
            throw new ArgumentException(
                $"Depthwise convolution needs Groups == InChannels == OutChannels, got Groups {s.Groups}, " +
                $"InChannels {s.InChannels}, OutChannels {s.OutChannels}.", nameof(s));
        }
        CheckLength(dataLength, dataExpected, dataName);
        CheckLength(wLength, s.WeightLength, "w");
        if (biasLength != 0 && biasLength != s.OutChannels)
        {
            throw new ArgumentException($"{biasName} must be empty or hold {s.OutChannels} values, got {biasLength}.",
                biasName);
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"{name} holds {actual} values; the shape needs {expected}.", name);
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>3×3 max and average pooling with padding 1 at stride 1 or 2, forward and backward, over the batch-minor
/// layout: element (channel c, pixel p = row·W + col, image n) lives at ((c·H·W) + p)·batch + n, for the input
/// (H×W) and the output (OH×OW) alike.</summary>
/// <remarks>
/// Why this layout: on the small maps of the deeper cells (7×7, 14×14) an NCHW row is narrower than a vector, so
/// most lanes of a row-wise pass are masked or wasted. With the batch innermost the images of one channel and pixel
/// are contiguous and the vector lanes run over images: every lane is useful, each output position knows its own
/// in-bounds window, and border taps are simply left out (no padded copies, no masks).
/// <para>Shape: the output is OH×OW with OH = (H + 2 − 3)/stride + 1 (PyTorch's floor formula: H at stride 1,
/// (H − 1)/2 + 1 at stride 2), likewise OW; output (oy, ox) covers the in-bounds input rows oy·stride − 1 ..
/// oy·stride + 1 and columns ox·stride − 1 .. ox·stride + 1.</para>
/// <para>Max: the window's first in-bounds cell seeds the maximum and a later cell replaces it only when strictly
/// greater, so the tap byte (window index (dy + 1)·3 + (dx + 1), row-major) names the first maximum in row-major
/// order; padding never takes part, a window of −∞ still points into the input, and a NaN is kept only when it is the
/// first cell, exactly as <see cref="PoolingReference"/> scans. Max forward and backward therefore equal the
/// reference (on the transposed tensors) bit for bit.</para>
/// <para>Average: padding is left out of the count (PyTorch <c>count_include_pad=False</c>). Both passes MULTIPLY by
/// the float reciprocal 1/count of the output position (count = in-bounds rows × in-bounds columns), the same constant
/// in forward and backward, so the backward is exactly the transpose of the forward's scaling; the forward sums the
/// cells in row-major order in float. Against the reference (double sum, one division) this differs by float
/// rounding only.</para>
/// <para>Backward passes are gathers: each dx element is written exactly once (=, or += with
/// <c>accumulate</c>), summing the outputs whose window holds it in ascending output position order (the reference
/// scatter's order), so no clear pass and no write races. An input cell lies in up to 9 windows at stride 1 and up to
/// 4 at stride 2 (1 or 2 per axis; every input row lies within 1 of some oy·2 with oy &lt; OH, so none is left
/// without a window). Tap bytes that the max forward cannot produce (above 8, or pointing at padding) select no input
/// and contribute nothing.</para>
/// <para>Lanes: <see cref="Vector512{T}"/> where accelerated, else <see cref="Vector256{T}"/>, else scalar; the last
/// batch mod lanes images run scalar. Work is split into fixed chunks of whole channels (<see cref="FixedChunks"/>),
/// so results are bit-identical at any thread count. Spans may be longer than the shape needs.</para>
/// </remarks>
public static unsafe class BatchMinorPoolKernel
{
    /// <summary>1/count for the in-bounds cell counts a 3×3 window can have (1, 2, 3, 4, 6, 9), computed once in
    /// float so the forward and backward scale by the very same constants.</summary>
    private static readonly float[] s_reciprocal = Enumerable.Range(0, 10).Select(i => i == 0 ? 0f : 1f / i).ToArray();

    /// <summary>Output rows (or columns) of a 3-window with padding 1 over <paramref name="size"/> inputs:
    /// (size + 2 − 3)/stride + 1, i.e. size at stride 1 and (size − 1)/2 + 1 at stride 2.</summary>
    /// <exception cref="ArgumentException"><paramref name="stride"/> is not 1 or 2, or <paramref name="size"/> is not
    /// positive.</exception>
    public static int OutputSize(int size, int stride)
    {
        CheckStride(stride);
        if (size <= 0)
        {
            throw new ArgumentException($"Batch-minor pooling needs a positive size, got {size}.", nameof(size));
        }
        return ((size - 1) / stride) + 1;
    }

    /// <summary>y[c,o,n] = max over the in-bounds cells of output o's window; tap[c,o,n] = the window index 0..8
    /// (row-major: (dy+1)·3+(dx+1)) of the FIRST maximum in row-major window order (strictly greater replaces);
    /// padding never takes part. x is channels·height·width·batch, y and tap channels·OH·OW·batch.</summary>
    /// <param name="stride">1 or 2 (the output is OH×OW, see <see cref="OutputSize"/>).</param>
    /// <exception cref="ArgumentException">A size is not positive, the stride is not 1 or 2, or a span is shorter than
    /// its shape.</exception>
    public static void MaxForward(int channels, int height, int width, int batch, ReadOnlySpan<float> x,
        Span<float> y, Span<byte> tap, int stride = 1) =>
        MaxForward(channels, height, width, batch, x, y, tap, stride, SimdWidth.Best);

    /// <summary>dx[c,q,n] (+)= Σ over outputs o whose window holds q and whose tap points at q: dy[c,o,n]. A gather
    /// per input position q: each dx element is written exactly once (<paramref name="accumulate"/> adds to what dx
    /// holds, otherwise dx is overwritten). dy and tap are channels·OH·OW·batch, dx channels·height·width·batch.
    /// </summary>
    /// <param name="stride">1 or 2, as in the forward that made the taps.</param>
    /// <exception cref="ArgumentException">A size is not positive, the stride is not 1 or 2, or a span is shorter than
    /// its shape.</exception>
    public static void MaxBackward(int channels, int height, int width, int batch, ReadOnlySpan<float> dy,
        ReadOnlySpan<byte> tap, Span<float> dx, bool accumulate, int stride = 1) =>
        MaxBackward(channels, height, width, batch, dy, tap, dx, accumulate, stride, SimdWidth.Best);

    /// <summary>y = mean over the in-bounds cells of the window (padding excluded from the count, PyTorch
    /// <c>count_include_pad=False</c>): the row-major float sum times 1/count. x is channels·height·width·batch, y
    /// channels·OH·OW·batch.</summary>
    /// <param name="stride">1 or 2 (the output is OH×OW, see <see cref="OutputSize"/>).</param>
    /// <exception cref="ArgumentException">A size is not positive, the stride is not 1 or 2, or a span is shorter than
    /// its shape.</exception>
    public static void AvgForward(int channels, int height, int width, int batch, ReadOnlySpan<float> x,
        Span<float> y, int stride = 1) =>
        AvgForward(channels, height, width, batch, x, y, stride, SimdWidth.Best);

    /// <summary>dx[c,q,n] (+)= Σ over outputs o whose window holds q: dy[c,o,n] · (1/count(o)). A gather per input
    /// position, each dx element written once. dy is channels·OH·OW·batch, dx channels·height·width·batch.</summary>
    /// <param name="stride">1 or 2, as in the forward.</param>
    /// <exception cref="ArgumentException">A size is not positive, the stride is not 1 or 2, or a span is shorter than
    /// its shape.</exception>
    public static void AvgBackward(int channels, int height, int width, int batch, ReadOnlySpan<float> dy,
        Span<float> dx, bool accumulate, int stride = 1) =>
        AvgBackward(channels, height, width, batch, dy, dx, accumulate, stride, SimdWidth.Best);

    /// <summary><see cref="MaxForward(int, int, int, int, ReadOnlySpan{float}, Span{float}, Span{byte}, int)"/> at a
    /// chosen lane width (tests run every width on one machine); 128-bit runs the scalar lanes.</summary>
    internal static void MaxForward(int channels, int height, int width, int batch, ReadOnlySpan<float> x,
        Span<float> y, Span<byte> tap, int stride, SimdWidth simd)
    {
        var g = Geometry.Of(channels, height, width, batch, stride);
        CheckLength(x.Length, g.InputLength, nameof(x), "height·width");
        CheckLength(y.Length, g.OutputLength, nameof(y), "OH·OW");
        CheckLength(tap.Length, g.OutputLength, nameof(tap), "OH·OW");
        var lanes = SimdWidthResolver.Resolve(simd);
        int per = g.ChannelsPerChunk;
        fixed (float* xp = x, yp = y)
        fixed (byte* tp = tap)
        {
            nint xa = (nint)xp, ya = (nint)yp, ta = (nint)tp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(channels, first + per);
                float* xc = (float*)xa, yc = (float*)ya;
                byte* tc = (byte*)ta;
                switch (lanes)
                {
                    case SimdWidth.V512:
                        MaxForwardChunk<Vector512<float>, FloatOps512, Lanes512>(first, last, g, xc, yc, tc);
                        break;
                    case SimdWidth.V256:
                        MaxForwardChunk<Vector256<float>, FloatOps256, Lanes256>(first, last, g, xc, yc, tc);
                        break;
                    default:
                        MaxForwardChunk<float, FloatOpsScalar, LanesScalar>(first, last, g, xc, yc, tc);
                        break;
                }
            });
        }
    }

    /// <summary><see cref="MaxBackward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{byte}, Span{float},
    /// bool, int)"/> at a chosen lane width.</summary>
    internal static void MaxBackward(int channels, int height, int width, int batch, ReadOnlySpan<float> dy,
        ReadOnlySpan<byte> tap, Span<float> dx, bool accumulate, int stride, SimdWidth simd)
    {
        var g = Geometry.Of(channels, height, width, batch, stride);
        CheckLength(dy.Length, g.OutputLength, nameof(dy), "OH·OW");
        CheckLength(tap.Length, g.OutputLength, nameof(tap), "OH·OW");
        CheckLength(dx.Length, g.InputLength, nameof(dx), "height·width");
        var lanes = SimdWidthResolver.Resolve(simd);
        int per = g.ChannelsPerChunk;
        fixed (float* dyp = dy, dxp = dx)
        fixed (byte* tp = tap)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp, ta = (nint)tp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(channels, first + per);
                float* gr = (float*)dya, d = (float*)dxa;
                byte* tc = (byte*)ta;
                switch (lanes)
                {
                    case SimdWidth.V512:
                        MaxBackwardChunk<Vector512<float>, FloatOps512, Lanes512>(first, last, g, gr, tc, d, accumulate);
                        break;
                    case SimdWidth.V256:
                        MaxBackwardChunk<Vector256<float>, FloatOps256, Lanes256>(first, last, g, gr, tc, d, accumulate);
                        break;
                    default:
                        MaxBackwardChunk<float, FloatOpsScalar, LanesScalar>(first, last, g, gr, tc, d, accumulate);
                        break;
                }
            });
        }
    }

    /// <summary><see cref="AvgForward(int, int, int, int, ReadOnlySpan{float}, Span{float}, int)"/> at a chosen lane
    /// width.</summary>
    internal static void AvgForward(int channels, int height, int width, int batch, ReadOnlySpan<float> x,
        Span<float> y, int stride, SimdWidth simd)
    {
        var g = Geometry.Of(channels, height, width, batch, stride);
        CheckLength(x.Length, g.InputLength, nameof(x), "height·width");
        CheckLength(y.Length, g.OutputLength, nameof(y), "OH·OW");
        var lanes = SimdWidthResolver.Resolve(simd);
        int per = g.ChannelsPerChunk;
        fixed (float* xp = x, yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(channels, first + per);
                float* xc = (float*)xa, yc = (float*)ya;
                switch (lanes)
                {
                    case SimdWidth.V512:
                        AvgForwardChunk<Vector512<float>, FloatOps512, Lanes512>(first, last, g, xc, yc);
                        break;
                    case SimdWidth.V256:
                        AvgForwardChunk<Vector256<float>, FloatOps256, Lanes256>(first, last, g, xc, yc);
                        break;
                    default:
                        AvgForwardChunk<float, FloatOpsScalar, LanesScalar>(first, last, g, xc, yc);
                        break;
                }
            });
        }
    }

    /// <summary><see cref="AvgBackward(int, int, int, int, ReadOnlySpan{float}, Span{float}, bool, int)"/> at a
    /// chosen lane width.</summary>
    internal static void AvgBackward(int channels, int height, int width, int batch, ReadOnlySpan<float> dy,
        Span<float> dx, bool accumulate, int stride, SimdWidth simd)
    {
        var g = Geometry.Of(channels, height, width, batch, stride);
        CheckLength(dy.Length, g.OutputLength, nameof(dy), "OH·OW");
        CheckLength(dx.Length, g.InputLength, nameof(dx), "height·width");
        var lanes = SimdWidthResolver.Resolve(simd);
        int per = g.ChannelsPerChunk;
        fixed (float* dyp = dy, dxp = dx)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(channels, first + per);
                float* gr = (float*)dya, d = (float*)dxa;
                switch (lanes)
                {
                    case SimdWidth.V512:
                        AvgBackwardChunk<Vector512<float>, FloatOps512, Lanes512>(first, last, g, gr, d, accumulate);
                        break;
                    case SimdWidth.V256:
                        AvgBackwardChunk<Vector256<float>, FloatOps256, Lanes256>(first, last, g, gr, d, accumulate);
                        break;
                    default:
                        AvgBackwardChunk<float, FloatOpsScalar, LanesScalar>(first, last, g, gr, d, accumulate);
                        break;
                }
            });
        }
    }

    /// <summary>Channels [first, last): per output position its in-bounds window (centred on (oy·stride,
    /// ox·stride)), then the vector lane blocks and the scalar tail.</summary>
    private static void MaxForwardChunk<TV, TOps, TL>(int first, int last, in Geometry g, float* x, float* y, byte* tap)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        nint* offsets = stackalloc nint[9];
        byte* index = stackalloc byte[9];
        int batch = g.Batch, vectorEnd = batch - (batch % TOps.Count);
        for (int c = first; c < last; c++)
        {
            long at = c * g.InputChannelLength, ot = c * g.OutputChannelLength;
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int cells = Window(g.Height, g.Width, oy * g.Stride, ox * g.Stride, batch, offsets, index);
                    long o = ot + (((long)oy * g.OutWidth) + ox) * batch;
                    MaxForwardLanes<TV, TOps, TL>(x + at, y + o, tap + o, offsets, index, cells, 0, vectorEnd);
                    MaxForwardLanes<float, FloatOpsScalar, LanesScalar>(x + at, y + o, tap + o, offsets, index, cells, vectorEnd,
                        batch);
                }
            }
        }
    }

    /// <summary>Images [from, to) of one output position: the first cell seeds (value, tap), later cells replace them
    /// where strictly greater.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxForwardLanes<TV, TOps, TL>(float* x, float* y, byte* tap, nint* offsets, byte* index, int cells,
        int from, int to)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        for (int n = from; n < to; n += TOps.Count)
        {
            TV best = TOps.Load(x + offsets[0] + n), arg = TOps.Broadcast(index[0]);
            for (int j = 1; j < cells; j++)
            {
                TV v = TOps.Load(x + offsets[j] + n);
                TV greater = TL.GreaterThan(v, best);
                best = TL.Select(greater, v, best);
                arg = TL.Select(greater, TOps.Broadcast(index[j]), arg);
            }
            TOps.Store(y + n, best);
            TL.StoreTaps(tap + n, arg);
        }
    }

    /// <summary>Channels [first, last): per input position q the outputs whose window holds it (ascending), each
    /// contributing where its tap is q's index in that window.</summary>
    private static void MaxBackwardChunk<TV, TOps, TL>(int first, int last, in Geometry g, float* dy, byte* tap, float* dx,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        nint* offsets = stackalloc nint[9];
        byte* index = stackalloc byte[9];
        int batch = g.Batch, vectorEnd = batch - (batch % TOps.Count);
        for (int c = first; c < last; c++)
        {
            long at = c * g.InputChannelLength, ot = c * g.OutputChannelLength;
            for (int iy = 0; iy < g.Height; iy++)
            {
                for (int ix = 0; ix < g.Width; ix++)
                {
                    int outputs = Holders(g, iy, ix, offsets, index);
                    long q = at + (((long)iy * g.Width) + ix) * batch;
                    MaxBackwardLanes<TV, TOps, TL>(dy + ot, tap + ot, dx + q, offsets, index, outputs, accumulate, 0,
                        vectorEnd);
                    MaxBackwardLanes<float, FloatOpsScalar, LanesScalar>(dy + ot, tap + ot, dx + q, offsets, index, outputs,
                        accumulate, vectorEnd, batch);
                }
            }
        }
    }

    /// <summary>Images [from, to) of one input position. A select, not an add of a masked zero: an untouched dx keeps
    /// its bits (−0 stays −0), as in the reference scatter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxBackwardLanes<TV, TOps, TL>(float* dy, byte* tap, float* dx, nint* offsets, byte* index,
        int outputs, bool accumulate, int from, int to)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        for (int n = from; n < to; n += TOps.Count)
        {
            TV sum = accumulate ? TOps.Load(dx + n) : TOps.Zero;
            for (int j = 0; j < outputs; j++)
            {
                TV hit = TL.TapEquals(tap + offsets[j] + n, index[j]);
                sum = TL.Select(hit, TOps.Add(sum, TOps.Load(dy + offsets[j] + n)), sum);
            }
            TOps.Store(dx + n, sum);
        }
    }

    private static void AvgForwardChunk<TV, TOps, TL>(int first, int last, in Geometry g, float* x, float* y)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        nint* offsets = stackalloc nint[9];
        byte* index = stackalloc byte[9];
        int batch = g.Batch, vectorEnd = batch - (batch % TOps.Count);
        for (int c = first; c < last; c++)
        {
            long at = c * g.InputChannelLength, ot = c * g.OutputChannelLength;
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int cells = Window(g.Height, g.Width, oy * g.Stride, ox * g.Stride, batch, offsets, index);
                    float scale = s_reciprocal[cells];
                    long o = ot + (((long)oy * g.OutWidth) + ox) * batch;
                    AvgForwardLanes<TV, TOps, TL>(x + at, y + o, offsets, cells, scale, 0, vectorEnd);
                    AvgForwardLanes<float, FloatOpsScalar, LanesScalar>(x + at, y + o, offsets, cells, scale, vectorEnd, batch);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AvgForwardLanes<TV, TOps, TL>(float* x, float* y, nint* offsets, int cells, float scale, int from,
        int to)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        for (int n = from; n < to; n += TOps.Count)
        {
            TV sum = TOps.Load(x + offsets[0] + n);
            for (int j = 1; j < cells; j++)
            {
                sum = TOps.Add(sum, TOps.Load(x + offsets[j] + n));
            }
            TOps.Store(y + n, TOps.Multiply(sum, TOps.Broadcast(scale)));
        }
    }

    /// <summary>Channels [first, last): per input position the outputs whose window holds it, each scaled by its own
    /// 1/count.</summary>
    private static void AvgBackwardChunk<TV, TOps, TL>(int first, int last, in Geometry g, float* dy, float* dx,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        nint* offsets = stackalloc nint[9];
        byte* index = stackalloc byte[9];
        float* scales = stackalloc float[9];
        int batch = g.Batch, vectorEnd = batch - (batch % TOps.Count);
        for (int c = first; c < last; c++)
        {
            long at = c * g.InputChannelLength, ot = c * g.OutputChannelLength;
            for (int iy = 0; iy < g.Height; iy++)
            {
                for (int ix = 0; ix < g.Width; ix++)
                {
                    int outputs = Holders(g, iy, ix, offsets, index);
                    for (int j = 0; j < outputs; j++)
                    {
                        // The output's window centre is q minus q's offset within that window.
                        int cy = iy - ((index[j] / 3) - 1), cx = ix - ((index[j] % 3) - 1);
                        scales[j] = s_reciprocal[InBounds(cy, g.Height) * InBounds(cx, g.Width)];
                    }
                    long q = at + (((long)iy * g.Width) + ix) * batch;
                    AvgBackwardLanes<TV, TOps, TL>(dy + ot, dx + q, offsets, scales, outputs, accumulate, 0, vectorEnd);
                    AvgBackwardLanes<float, FloatOpsScalar, LanesScalar>(dy + ot, dx + q, offsets, scales, outputs, accumulate,
                        vectorEnd, batch);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AvgBackwardLanes<TV, TOps, TL>(float* dy, float* dx, nint* offsets, float* scales, int outputs,
        bool accumulate, int from, int to)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
        where TL : struct, ILanes<TV>
    {
        for (int n = from; n < to; n += TOps.Count)
        {
            TV sum = accumulate ? TOps.Load(dx + n) : TOps.Zero;
            for (int j = 0; j < outputs; j++)
            {
                sum = TOps.Add(sum, TOps.Multiply(TOps.Load(dy + offsets[j] + n), TOps.Broadcast(scales[j])));
            }
            TOps.Store(dx + n, sum);
        }
    }

    /// <summary>The in-bounds cells of the 3×3 input window centred on (cy, cx), in row-major order: element offsets
    /// within the input channel (cell·batch) and window indices (dy + 1)·3 + (dx + 1). Returns their number (1 to 9).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Window(int h, int w, int cy, int cx, int batch, nint* offsets, byte* index)
    {
        int cells = 0;
        int y0 = Math.Max(0, cy - 1), y1 = Math.Min(h - 1, cy + 1);
        int x0 = Math.Max(0, cx - 1), x1 = Math.Min(w - 1, cx + 1);
        for (int iy = y0; iy <= y1; iy++)
        {
            for (int ix = x0; ix <= x1; ix++)
            {
                offsets[cells] = (((nint)iy * w) + ix) * batch;
                index[cells] = (byte)(((iy - cy + 1) * 3) + ix - cx + 1);
                cells++;
            }
        }
        return cells;
    }

    /// <summary>The outputs whose windows hold input cell (iy, ix), in ascending output order: element offsets within
    /// the output channel ((oy·OW + ox)·batch) and the cell's index in each window, (iy − oy·stride + 1)·3 +
    /// (ix − ox·stride + 1). Candidates are the output rows (iy − 1)/stride .. (iy + 1)/stride (clamped to the
    /// output), kept when |iy − oy·stride| ≤ 1, likewise columns. Returns their number: 1 to 9 at stride 1, 1 to 4 at
    /// stride 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Holders(in Geometry g, int iy, int ix, nint* offsets, byte* index)
    {
        int s = g.Stride, count = 0;
        int y0 = Math.Max(0, (iy - 1) / s), y1 = Math.Min(g.OutHeight - 1, (iy + 1) / s);
        int x0 = Math.Max(0, (ix - 1) / s), x1 = Math.Min(g.OutWidth - 1, (ix + 1) / s);
        for (int oy = y0; oy <= y1; oy++)
        {
            int ry = iy - (oy * s);
            if (ry < -1 || ry > 1)
            {
                continue;
            }
            for (int ox = x0; ox <= x1; ox++)
            {
                int rx = ix - (ox * s);
                if (rx < -1 || rx > 1)
                {
                    continue;
                }
                offsets[count] = (((nint)oy * g.OutWidth) + ox) * g.Batch;
                index[count] = (byte)(((ry + 1) * 3) + rx + 1);
                count++;
            }
        }
        return count;
    }

    /// <summary>In-bounds rows (or columns) of the 3-window centred on <paramref name="centre"/> in [0, size).
    /// </summary>
    private static int InBounds(int centre, int size) => Math.Min(size - 1, centre + 1) - Math.Max(0, centre - 1) + 1;

    private static void CheckStride(int stride)
    {
        if (stride is not (1 or 2))
        {
            throw new ArgumentException(
                $"Batch-minor pooling supports stride 1 or 2, got stride {stride}.", nameof(stride));
        }
    }

    private static void CheckLength(int length, long needed, string name, string plane)
    {
        if (length < needed)
        {
            throw new ArgumentException(
                $"{name} holds {length} elements, channels·{plane}·batch = {needed} needed.", name);
        }
    }

    /// <summary>A validated problem: the input H×W, the stride and the output OH×OW it implies, and the derived
    /// lengths. Passed by reference into the chunk bodies.</summary>
    private readonly struct Geometry
    {
        public int Height { get; init; }

        public int Width { get; init; }

        public int Batch { get; init; }

        public int Stride { get; init; }

        public int OutHeight { get; init; }

        public int OutWidth { get; init; }

        /// <summary>Elements of one input channel: H·W·batch.</summary>
        public long InputChannelLength => (long)Height * Width * Batch;

        /// <summary>Elements of one output channel: OH·OW·batch.</summary>
        public long OutputChannelLength => (long)OutHeight * OutWidth * Batch;

        public long InputLength { get; init; }

        public long OutputLength { get; init; }

        /// <summary>Whole channels per fixed chunk, sized by the input plus output elements one channel touches
        /// (2·H·W·batch at stride 1, as before).</summary>
        public int ChannelsPerChunk => FixedChunks.ItemsPerChunk(InputChannelLength + OutputChannelLength);

        public static Geometry Of(int channels, int height, int width, int batch, int stride)
        {
            if (channels <= 0 || height <= 0 || width <= 0 || batch <= 0)
            {
                throw new ArgumentException(
                    "Batch-minor pooling needs positive channels, height, width and batch, got " +
                    $"{channels}, {height}, {width} and {batch}.");
            }
            CheckStride(stride);
            int oh = ((height - 1) / stride) + 1, ow = ((width - 1) / stride) + 1;
            return new Geometry
            {
                Height = height,
                Width = width,
                Batch = batch,
                Stride = stride,
                OutHeight = oh,
                OutWidth = ow,
                InputLength = (long)channels * height * width * batch,
                OutputLength = (long)channels * oh * ow * batch,
            };
        }
    }

    /// <summary>The lane operations the pooling bodies need beyond <see cref="IFloatOps{TV}"/> (compares, selects and
    /// tap bytes), as static members so one generic body specialises for 512-bit, 256-bit and single lanes. Masks are
    /// lane values of all ones (true) or zero (false).</summary>
    private interface ILanes<TV>
        where TV : struct
    {
        /// <summary>Mask of the lanes where <paramref name="left"/> &gt; <paramref name="right"/> (false for NaN).
        /// </summary>
        static abstract TV GreaterThan(TV left, TV right);

        /// <summary><paramref name="ifTrue"/> in the lanes <paramref name="mask"/> sets, else
        /// <paramref name="ifFalse"/>.</summary>
        static abstract TV Select(TV mask, TV ifTrue, TV ifFalse);

        /// <summary>Mask of the lanes whose tap byte (Count bytes from <paramref name="taps"/>) equals
        /// <paramref name="index"/>.</summary>
        static abstract TV TapEquals(byte* taps, int index);

        /// <summary>Stores window indices held as floats (0 to 8) as Count bytes.</summary>
        static abstract void StoreTaps(byte* destination, TV indices);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> GreaterThan(Vector512<float> left, Vector512<float> right) =>
            Vector512.GreaterThan(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifTrue,
            Vector512<float> ifFalse) =>
            Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> TapEquals(byte* taps, int index)
        {
            var bytes = Vector128.Load(taps);
            Vector512<int> wide;
            if (Avx512F.IsSupported)
            {
                wide = Avx512F.ConvertToVector512Int32(bytes); // vpmovzxbd
            }
            else
            {
                var halves = Vector256.Create(Vector128.WidenLower(bytes), Vector128.WidenUpper(bytes));
                wide = Vector512.Create(Vector256.WidenLower(halves), Vector256.WidenUpper(halves)).AsInt32();
            }
            return Vector512.Equals(wide, Vector512.Create(index)).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreTaps(byte* destination, Vector512<float> indices)
        {
            var ints = Vector512.ConvertToInt32(indices);
            if (Avx512F.IsSupported)
            {
                Avx512F.ConvertToVector128Byte(ints).Store(destination); // vpmovdb
                return;
            }
            var shorts = Vector512.Narrow(ints.AsUInt32(), Vector512<uint>.Zero);
            Vector512.Narrow(shorts, Vector512<ushort>.Zero).GetLower().GetLower().Store(destination);
        }
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> GreaterThan(Vector256<float> left, Vector256<float> right) =>
            Vector256.GreaterThan(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifTrue,
            Vector256<float> ifFalse) =>
            Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> TapEquals(byte* taps, int index)
        {
            var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(taps)).AsByte();
            Vector256<int> wide;
            if (Avx2.IsSupported)
            {
                wide = Avx2.ConvertToVector256Int32(bytes); // vpmovzxbd
            }
            else
            {
                var low = Vector128.WidenLower(bytes);
                wide = Vector256.Create(Vector128.WidenLower(low), Vector128.WidenUpper(low)).AsInt32();
            }
            return Vector256.Equals(wide, Vector256.Create(index)).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreTaps(byte* destination, Vector256<float> indices)
        {
            var ints = Vector256.ConvertToInt32(indices).AsUInt32();
            var shorts = Vector256.Narrow(ints, Vector256<uint>.Zero);
            var bytes = Vector256.Narrow(shorts, Vector256<ushort>.Zero);
            Unsafe.WriteUnaligned(destination, bytes.AsUInt64().ToScalar());
        }
    }

    /// <summary>One lane: the fallback where no vector width is accelerated, and the batch tail.</summary>
    private readonly struct LanesScalar : ILanes<float>
    {
        private static float True => BitConverter.Int32BitsToSingle(-1);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float GreaterThan(float left, float right) => left > right ? True : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Select(float mask, float ifTrue, float ifFalse) =>
            BitConverter.SingleToInt32Bits(mask) != 0 ? ifTrue : ifFalse;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float TapEquals(byte* taps, int index) => *taps == index ? True : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreTaps(byte* destination, float indices) => *destination = (byte)indices;
    }
}

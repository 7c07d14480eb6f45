using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Max, average and global-average pooling over NCHW, forward and backward.</summary>
/// <remarks>
/// Contract is that of <see cref="PoolingReference"/>: x is [N, C, H, W], y is [N, C, OH, OW] with
/// OH = (H + 2·pad − k) / stride + 1; padding cells never win a max and are left out of an average's count; argmax
/// holds the flat index within the input plane, the first maximum in row-major window order winning ties. Spans may be
/// longer than the shape needs; shorter ones, or a geometry <see cref="Pool2dShape.Validate"/> rejects, throw
/// <see cref="ArgumentException"/>. Max forward and backward equal the reference bit for bit; averages differ only
/// by float rounding (the reference sums in double); planes holding NaN are maxed by the reference's own scan, which
/// separable passes cannot follow. 3×3 pools with padding 1 at stride 1 and 2 on rows of 16 and more run on
/// <see cref="Pool3x3"/>; stride 2 is the stride-1 pool at the even positions. Work is split into fixed chunks of
/// (n, c) planes, so results are bit-identical at any thread count.
/// </remarks>
public static unsafe class PoolingKernel
{
    public static void MaxForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        CheckLengths(s, x.Length, y.Length);
        if (argmax.Length < s.OutputLength)
        {
            throw new ArgumentException($"argmax holds {argmax.Length} elements, {s.OutputLength} needed.",
                nameof(argmax));
        }
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        fixed (float* xp = x, yp = y)
        fixed (int* ap = argmax)
        {
            nint xa = (nint)xp, ya = (nint)yp, aa = (nint)ap;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                if (Pool3x3.Handles(shape) || Pool3x3.HandlesStride2(shape))
                {
                    MaxChunk3x3(shape, first, last, (float*)xa, (float*)ya, (int*)aa);
                    return;
                }
                if (IsSameStride2(shape))
                {
                    MaxChunkSameStride2(shape, first, last, (float*)xa, (float*)ya, (int*)aa);
                    return;
                }
                MaxChunkGeneral(shape, first, last, (float*)xa, (float*)ya, (int*)aa);
            });
        }
    }

    /// <summary>Planes [first, last) by <see cref="Pool3x3"/> (stride 2: the stride-1 planes, then their even
    /// positions); a plane holding NaN goes to <see cref="MaxPlaneExact"/>.</summary>
    private static void MaxChunk3x3(in Pool2dShape s, int first, int last, float* x, float* y, int* argmax)
    {
        bool strided = s.Stride == 2;
        var s1 = Pool3x3.Stride1(s);
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, full = strided ? plane : 0;
        float[] scratch = ArrayPool<float>.Shared.Rent(Pool3x3.MaxScratchFloats(s1) + full);
        int[] argScratch = ArrayPool<int>.Shared.Rent(Pool3x3.MaxScratchInts(s1) + full);
        fixed (float* sp = scratch)
        fixed (int* ap = argScratch)
        {
            Pool3x3.InitMaxScratch(s1, sp);
            float* yFull = sp + Pool3x3.MaxScratchFloats(s1);
            int* aFull = ap + Pool3x3.MaxScratchInts(s1);
            for (int p = first; p < last; p++)
            {
                long at = (long)p * plane, outAt = (long)p * outPlane;
                bool done = strided
                    ? Pool3x3.MaxPlane(s1, x + at, yFull, aFull, sp, ap)
                    : Pool3x3.MaxPlane(s1, x + at, y + at, argmax + at, sp, ap);
                if (!done)
                {
                    MaxPlaneExact(s, x + at, y + outAt, argmax + outAt);
                }
                else if (strided)
                {
                    Pool3x3.PickEven(s, yFull, y + outAt);
                    Pool3x3.PickEven(s, aFull, argmax + outAt);
                }
            }
        }
        ArrayPool<float>.Shared.Return(scratch);
        ArrayPool<int>.Shared.Return(argScratch);
    }

    /// <summary>Stride 2 with same padding on rows too narrow for <see cref="Pool3x3"/>: the flat stride-1 passes
    /// into a scratch plane, then its even positions (per-row strided passes cost ~6 ns per input cell at 14×14).
    /// </summary>
    private static void MaxChunkSameStride2(in Pool2dShape s, int first, int last, float* x, float* y, int* argmax)
    {
        var s1 = s with { Stride = 1 };
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, scratchLen = ScratchLength(s1);
        float[] rows = ArrayPool<float>.Shared.Rent(scratchLen + plane);
        int[] cols = ArrayPool<int>.Shared.Rent(scratchLen + (2 * plane));
        var columnOf = ColumnOf(s1, cols.AsSpan(scratchLen + plane, plane));
        fixed (float* y1 = &rows[scratchLen])
        fixed (int* a1 = &cols[scratchLen])
        {
            for (int p = first; p < last; p++)
            {
                if (HasNaN(new ReadOnlySpan<float>(x + ((long)p * plane), plane)))
                {
                    MaxPlaneExact(s, x + ((long)p * plane), y + ((long)p * outPlane), argmax + ((long)p * outPlane));
                    continue;
                }
                MaxPlaneSame(s1, new ReadOnlySpan<float>(x + ((long)p * plane), plane), new Span<float>(y1, plane),
                    new Span<int>(a1, plane), rows.AsSpan(0, scratchLen), cols.AsSpan(0, scratchLen), columnOf);
                Pool3x3.PickEven(s, y1, y + ((long)p * outPlane));
                Pool3x3.PickEven(s, a1, argmax + ((long)p * outPlane));
            }
        }
        ArrayPool<float>.Shared.Return(rows);
        ArrayPool<int>.Shared.Return(cols);
    }

    /// <summary>One plane by the reference's scan, for planes holding NaN: the separable passes cannot follow its
    /// rule (a NaN first in a row would hide the rest of that row from the column pass, where the reference only
    /// skips the NaN).</summary>
    private static void MaxPlaneExact(in Pool2dShape s, float* x, float* y, int* argmax)
    {
        int h = s.Height, w = s.Width, ow = s.OutWidth;
        for (int oy = 0; oy < s.OutHeight; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                int top = (oy * s.Stride) - s.Padding, left = (ox * s.Stride) - s.Padding;
                float best = float.NegativeInfinity;
                int arg = -1;
                for (int iy = Math.Max(0, top); iy < Math.Min(h, top + s.Kernel); iy++)
                {
                    for (int ix = Math.Max(0, left); ix < Math.Min(w, left + s.Kernel); ix++)
                    {
                        float v = x[(iy * w) + ix];
                        if (v > best || arg < 0)
                        {
                            best = v;
                            arg = (iy * w) + ix;
                        }
                    }
                }
                y[(oy * ow) + ox] = best;
                argmax[(oy * ow) + ox] = arg;
            }
        }
    }

    private static bool HasNaN(ReadOnlySpan<float> plane)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(plane);
            var nan = Vector256<float>.Zero;
            for (; i <= plane.Length - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                nan |= ~Vector256.Equals(v, v);
            }
            if (nan != Vector256<float>.Zero)
            {
                return true;
            }
        }
        for (; i < plane.Length; i++)
        {
            if (float.IsNaN(plane[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static void MaxChunkGeneral(in Pool2dShape s, int first, int last, float* x, float* y, int* argmax)
    {
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth;
        int scratchLen = ScratchLength(s);
        float[] rows = ArrayPool<float>.Shared.Rent(scratchLen);
        int[] cols = ArrayPool<int>.Shared.Rent(scratchLen + plane);
        var columnOf = ColumnOf(s, cols.AsSpan(scratchLen, plane));
        for (int p = first; p < last; p++)
        {
            if (HasNaN(new ReadOnlySpan<float>(x + ((long)p * plane), plane)))
            {
                MaxPlaneExact(s, x + ((long)p * plane), y + ((long)p * outPlane), argmax + ((long)p * outPlane));
                continue;
            }
            MaxPlane(s, new ReadOnlySpan<float>(x + ((long)p * plane), plane),
                new Span<float>(y + ((long)p * outPlane), outPlane),
                new Span<int>(argmax + ((long)p * outPlane), outPlane),
                rows.AsSpan(0, scratchLen), cols.AsSpan(0, scratchLen), columnOf);
        }
        ArrayPool<float>.Shared.Return(rows);
        ArrayPool<int>.Shared.Return(cols);
    }

    /// <summary>dx (= or +=) the scatter of dy onto the argmax cells.</summary>
    /// <exception cref="ArgumentException">An argmax entry lies outside its input plane.</exception>
    /// <remarks>A scatter in output order. A 512-bit gather (each cell summing the dy of the outputs around it whose
    /// argmax is that cell, same order) was tried and measured no faster on [64,16,28,28] (0.85–0.88 against
    /// 0.87–0.90 ms), so the simpler scatter stays.</remarks>
    public static void MaxBackward(in Pool2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx,
        bool accumulate)
    {
        CheckLengths(s, dx.Length, dy.Length);
        if (argmax.Length < s.OutputLength)
        {
            throw new ArgumentException($"argmax holds {argmax.Length} elements, {s.OutputLength} needed.",
                nameof(argmax));
        }
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + (2 * outPlane));
        fixed (float* dyp = dy, dxp = dx)
        fixed (int* ap = argmax)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp, aa = (nint)ap;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                for (int p = first; p < last; p++)
                {
                    var g = new ReadOnlySpan<float>((float*)dya + ((long)p * outPlane), outPlane);
                    var at = new ReadOnlySpan<int>((int*)aa + ((long)p * outPlane), outPlane);
                    var d = new Span<float>((float*)dxa + ((long)p * plane), plane);
                    if (!accumulate)
                    {
                        d.Clear();
                    }
                    // Same order as the reference, so equal targets sum identically.
                    for (int o = 0; o < g.Length; o++)
                    {
                        int i = at[o];
                        if ((uint)i >= (uint)d.Length)
                        {
                            throw new ArgumentException($"argmax {i} at plane {p} lies outside [0, {plane}).",
                                nameof(argmax));
                        }
                        d[i] += g[o];
                    }
                }
            });
        }
    }

    /// <summary>y = mean of the window cells inside the input (padding excluded from the count).</summary>
    public static void AvgForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(s, x.Length, y.Length);
        if (Pool3x3.Handles(s) || Pool3x3.HandlesStride2(s))
        {
            Box3x3(s, x, y, backward: false, accumulate: false);
            return;
        }
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        fixed (float* xp = x, yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                if (IsSameStride2(shape))
                {
                    AvgChunkSameStride2(shape, first, last, (float*)xa, (float*)ya, backward: false, false);
                    return;
                }
                int scratchLen = ScratchLength(shape), ow = shape.OutWidth;
                float[] scratch = ArrayPool<float>.Shared.Rent(scratchLen + ow + outPlane);
                var counts = scratch.AsSpan(scratchLen, ow);
                var countPlane = scratch.AsSpan(scratchLen + ow, outPlane);
                ColumnCounts(shape, counts, countPlane);
                int[] columns = ArrayPool<int>.Shared.Rent(plane);
                var columnOf = ColumnOf(shape, columns.AsSpan(0, plane));
                for (int p = first; p < last; p++)
                {
                    AvgPlane(shape, new ReadOnlySpan<float>((float*)xa + ((long)p * plane), plane),
                        new Span<float>((float*)ya + ((long)p * outPlane), outPlane),
                        scratch.AsSpan(0, scratchLen), counts, countPlane, columnOf);
                }
                ArrayPool<float>.Shared.Return(scratch);
                ArrayPool<int>.Shared.Return(columns);
            });
        }
    }

    /// <summary>Average forward (or backward) by <see cref="Pool3x3.BoxPlane"/>; the reciprocal counts are
    /// computed once per call, not per chunk (784 divisions cost as much as a few planes). Stride 2 runs the stride-1
    /// box over a full plane: forward then keeps its even positions, backward first spreads dy onto them.</summary>
    private static void Box3x3(in Pool2dShape s, ReadOnlySpan<float> src, Span<float> dst, bool backward,
        bool accumulate)
    {
        bool strided = s.Stride == 2;
        var s1 = Pool3x3.Stride1(s);
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int box = Pool3x3.AvgScratchFloats(s1), full = strided ? plane : 0;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        float[] recips = ArrayPool<float>.Shared.Rent(plane);
        fixed (float* sp = src, dp = dst, rp = recips)
        {
            Pool3x3.Reciprocals(s1, rp);
            nint sa = (nint)sp, da = (nint)dp, ra = (nint)rp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                float[] scratch = ArrayPool<float>.Shared.Rent(box + full);
                fixed (float* bp = scratch)
                {
                    Pool3x3.InitAvgScratch(s1, bp);
                    float* fullPlane = bp + box;
                    for (int p = first; p < last; p++)
                    {
                        // Forward reads an input plane and writes an output plane; backward the other way round.
                        long inAt = (long)p * (backward ? outPlane : plane);
                        long outAt = (long)p * (backward ? plane : outPlane);
                        float* from = (float*)sa + inAt, to = (float*)da + outAt;
                        if (!strided)
                        {
                            Pool3x3.BoxPlane(s1, from, to, (float*)ra, bp, backward, accumulate);
                        }
                        else if (backward)
                        {
                            Pool3x3.SpreadEven(shape, from, fullPlane);
                            Pool3x3.BoxPlane(s1, fullPlane, to, (float*)ra, bp, scaleFirst: true, accumulate);
                        }
                        else
                        {
                            Pool3x3.BoxPlane(s1, from, fullPlane, (float*)ra, bp, scaleFirst: false, false);
                            Pool3x3.PickEven(shape, fullPlane, to);
                        }
                    }
                }
                ArrayPool<float>.Shared.Return(scratch);
            });
        }
        ArrayPool<float>.Shared.Return(recips);
    }

    /// <summary>Average of stride 2 with same padding on narrow rows: the flat stride-1 passes over a scratch plane,
    /// forward keeping its even positions, backward first spreading dy onto them (see
    /// <see cref="MaxChunkSameStride2"/>).</summary>
    private static void AvgChunkSameStride2(in Pool2dShape s, int first, int last, float* src, float* dst,
        bool backward, bool accumulate)
    {
        var s1 = s with { Stride = 1 };
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, w = s.Width;
        int scratchLen = Math.Max(ScratchLength(s1), plane + (2 * Guard(s1)));
        float[] scratch = ArrayPool<float>.Shared.Rent((2 * scratchLen) + w + (2 * plane));
        var counts = scratch.AsSpan(2 * scratchLen, w);
        var countPlane = scratch.AsSpan((2 * scratchLen) + w, plane);
        ColumnCounts(s1, counts, countPlane);
        int[] columns = ArrayPool<int>.Shared.Rent(plane);
        var columnOf = ColumnOf(s1, columns.AsSpan(0, plane));
        fixed (float* full = &scratch[(2 * scratchLen) + w + plane])
        {
            var fullPlane = new Span<float>(full, plane);
            for (int p = first; p < last; p++)
            {
                if (backward)
                {
                    Pool3x3.SpreadEven(s, src + ((long)p * outPlane), full);
                    AvgPlaneBackwardSame(s1, fullPlane, new Span<float>(dst + ((long)p * plane), plane), accumulate,
                        scratch.AsSpan(0, scratchLen), scratch.AsSpan(scratchLen, scratchLen), countPlane, columnOf);
                    continue;
                }
                AvgPlaneSame(s1, new ReadOnlySpan<float>(src + ((long)p * plane), plane), fullPlane,
                    scratch.AsSpan(0, scratchLen), countPlane, columnOf);
                Pool3x3.PickEven(s, full, dst + ((long)p * outPlane));
            }
        }
        ArrayPool<float>.Shared.Return(scratch);
        ArrayPool<int>.Shared.Return(columns);
    }

    /// <summary>dx (= or +=) each dy spread evenly over the input cells of its window.</summary>
    public static void AvgBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        CheckLengths(s, dx.Length, dy.Length);
        if (Pool3x3.Handles(s) || Pool3x3.HandlesStride2(s))
        {
            Box3x3(s, dy, dx, backward: true, accumulate);
            return;
        }
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        fixed (float* dyp = dy, dxp = dx)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                if (IsSameStride2(shape))
                {
                    AvgChunkSameStride2(shape, first, last, (float*)dya, (float*)dxa, backward: true, accumulate);
                    return;
                }
                // g [OH·OW] (+ guards), vertical sums [H·W] (the general path uses its first OW), counts [OW], count plane.
                int ow = shape.OutWidth, vlen = Math.Max(plane, ow), glen = outPlane + (2 * Guard(shape));
                float[] scratch = ArrayPool<float>.Shared.Rent(glen + vlen + ow + outPlane);
                var counts = scratch.AsSpan(glen + vlen, ow);
                var countPlane = scratch.AsSpan(glen + vlen + ow, outPlane);
                ColumnCounts(shape, counts, countPlane);
                int[] columns = ArrayPool<int>.Shared.Rent(plane);
                var columnOf = ColumnOf(shape, columns.AsSpan(0, plane));
                for (int p = first; p < last; p++)
                {
                    AvgPlaneBackward(shape, new ReadOnlySpan<float>((float*)dya + ((long)p * outPlane), outPlane),
                        new Span<float>((float*)dxa + ((long)p * plane), plane), accumulate,
                        scratch.AsSpan(0, glen), scratch.AsSpan(glen, vlen), counts, countPlane, columnOf);
                }
                ArrayPool<float>.Shared.Return(scratch);
                ArrayPool<int>.Shared.Return(columns);
            });
        }
    }

    /// <summary>y[n, c] = mean over the h·w plane.</summary>
    /// <remarks>x is [batch·channels, planeSize], y is [batch·channels].</remarks>
    public static void GlobalAvgForward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, Span<float> y)
    {
        int planes = CheckGlobal(batch, channels, planeSize, x.Length, y.Length);
        int per = FixedChunks.ItemsPerChunk(planeSize);
        fixed (float* xp = x, yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                for (int p = first; p < last; p++)
                {
                    var plane = new ReadOnlySpan<float>((float*)xa + ((long)p * planeSize), planeSize);
                    ((float*)ya)[p] = (float)(ChannelSums.Sum(plane) / planeSize);
                }
            });
        }
    }

    /// <summary>dx[n, c, ·] (= or +=) dy[n, c] / planeSize.</summary>
    public static void GlobalAvgBackward(int batch, int channels, int planeSize, ReadOnlySpan<float> dy, Span<float> dx,
        bool accumulate)
    {
        int planes = CheckGlobal(batch, channels, planeSize, dx.Length, dy.Length);
        int per = FixedChunks.ItemsPerChunk(planeSize);
        fixed (float* dyp = dy, dxp = dx)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                for (int p = first; p < last; p++)
                {
                    var plane = new Span<float>((float*)dxa + ((long)p * planeSize), planeSize);
                    float share = ((float*)dya)[p] / planeSize;
                    if (accumulate)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(plane, share, plane);
                    }
                    else
                    {
                        plane.Fill(share);
                    }
                }
            });
        }
    }

    /// <summary>Row pass into <paramref name="rows"/> ([H, OW], each entry the max of its k columns), then the
    /// column pass over the k rows of each output row.</summary>
    private static void MaxPlane(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax,
        Span<float> rows, Span<int> cols, ReadOnlySpan<int> columnOf)
    {
        if (IsSame(s))
        {
            MaxPlaneSame(s, x, y, argmax, rows, cols, columnOf);
            return;
        }
        int w = s.Width, ow = s.OutWidth, slideLen = SlideLength(s);
        var slide = rows.Slice(s.Height * ow, slideLen);
        var slideArg = cols.Slice(s.Height * ow, slideLen);
        for (int iy = 0; iy < s.Height; iy++)
        {
            var row = x.Slice(iy * w, w);
            var dst = rows.Slice(iy * ow, ow);
            var dstArg = cols.Slice(iy * ow, ow);
            if (s.Stride == 1)
            {
                PoolRows.SlidingMax(row, s.Kernel, s.Padding, dst, dstArg);
                continue;
            }
            // Strided: every window start, then keep every stride-th (cheaper than strided vector loads).
            PoolRows.SlidingMax(row, s.Kernel, s.Padding, slide, slideArg);
            for (int ox = 0; ox < ow; ox++)
            {
                dst[ox] = slide[ox * s.Stride];
                dstArg[ox] = slideArg[ox * s.Stride];
            }
        }
        for (int oy = 0; oy < s.OutHeight; oy++)
        {
            int top = (oy * s.Stride) - s.Padding;
            PoolRows.ColumnMax(rows, cols, ow, Math.Max(0, top), Math.Min(s.Height, top + s.Kernel), w,
                y.Slice(oy * ow, ow), argmax.Slice(oy * ow, ow));
        }
    }

    private static void AvgPlane(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<float> rows,
        ReadOnlySpan<float> counts, ReadOnlySpan<float> countPlane, ReadOnlySpan<int> columnOf)
    {
        if (IsSame(s))
        {
            AvgPlaneSame(s, x, y, rows, countPlane, columnOf);
            return;
        }
        int w = s.Width, ow = s.OutWidth;
        var slide = rows.Slice(s.Height * ow, SlideLength(s));
        for (int iy = 0; iy < s.Height; iy++)
        {
            var row = x.Slice(iy * w, w);
            var dst = rows.Slice(iy * ow, ow);
            if (s.Stride == 1)
            {
                PoolRows.SlidingSum(row, s.Kernel, s.Padding, dst, accumulate: false);
                continue;
            }
            PoolRows.SlidingSum(row, s.Kernel, s.Padding, slide, accumulate: false);
            for (int ox = 0; ox < ow; ox++)
            {
                dst[ox] = slide[ox * s.Stride];
            }
        }
        for (int oy = 0; oy < s.OutHeight; oy++)
        {
            int top = (oy * s.Stride) - s.Padding, r0 = Math.Max(0, top), r1 = Math.Min(s.Height, top + s.Kernel);
            PoolRows.ColumnSum(rows, ow, r0, r1, counts, r1 - r0, y.Slice(oy * ow, ow));
        }
    }

    /// <summary>Transpose of <see cref="AvgPlane"/>: g = dy / count per output, then each input row sums the g rows of
    /// the windows covering it, and each input column the columns covering it.</summary>
    private static void AvgPlaneBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate,
        Span<float> g, Span<float> vertical, ReadOnlySpan<float> counts, ReadOnlySpan<float> countPlane,
        ReadOnlySpan<int> columnOf)
    {
        if (IsSame(s))
        {
            AvgPlaneBackwardSame(s, dy, dx, accumulate, g, vertical, countPlane, columnOf);
            return;
        }
        vertical = vertical[..s.OutWidth];
        int w = s.Width, ow = s.OutWidth, oh = s.OutHeight, k = s.Kernel, st = s.Stride, pad = s.Padding;
        for (int oy = 0; oy < oh; oy++)
        {
            int top = (oy * st) - pad, rowCount = Math.Min(s.Height, top + k) - Math.Max(0, top);
            for (int ox = 0; ox < ow; ox++)
            {
                // The same float division as the reference's share.
                g[(oy * ow) + ox] = dy[(oy * ow) + ox] / (counts[ox] * rowCount);
            }
        }
        for (int iy = 0; iy < s.Height; iy++)
        {
            // Output rows whose window [oy·st − pad, oy·st − pad + k) contains iy.
            int oy0 = CeilDiv(iy + pad - k + 1, st), oy1 = Math.Min(oh - 1, (iy + pad) / st);
            PoolRows.ColumnSum(g, ow, oy0, oy1 + 1, ReadOnlySpan<float>.Empty, 0f, vertical);
            var dst = dx.Slice(iy * w, w);
            if (st == 1)
            {
                // Column ix is covered by outputs ix + pad − k + 1 .. ix + pad: a k-window with padding k − 1 − pad.
                PoolRows.SlidingSum(vertical, k, k - 1 - pad, dst, accumulate);
                continue;
            }
            for (int ix = 0; ix < w; ix++)
            {
                int ox0 = CeilDiv(ix + pad - k + 1, st), ox1 = Math.Min(ow - 1, (ix + pad) / st);
                float sum = 0;
                for (int ox = ox0; ox <= ox1; ox++)
                {
                    sum += vertical[ox];
                }
                dst[ix] = accumulate ? dst[ix] + sum : sum;
            }
        }
    }

    /// <summary>Number of input columns inside each output column's window, and of input cells inside each output's
    /// window ([OH, OW]).</summary>
    private static void ColumnCounts(in Pool2dShape s, Span<float> counts, Span<float> countPlane)
    {
        for (int ox = 0; ox < s.OutWidth; ox++)
        {
            int left = (ox * s.Stride) - s.Padding;
            counts[ox] = Math.Min(s.Width, left + s.Kernel) - Math.Max(0, left);
        }
        for (int oy = 0; oy < s.OutHeight; oy++)
        {
            int top = (oy * s.Stride) - s.Padding, rowCount = Math.Min(s.Height, top + s.Kernel) - Math.Max(0, top);
            for (int ox = 0; ox < s.OutWidth; ox++)
            {
                countPlane[(oy * s.OutWidth) + ox] = rowCount * counts[ox];
            }
        }
    }

    /// <summary>Stride 1 with "same" padding (2·pad = k − 1, so OH = H and OW = W), the DARTS pools: input and
    /// output planes share one layout and each pass runs flat over the whole plane.</summary>
    private static bool IsSame(in Pool2dShape s) => s.Stride == 1 && 2 * s.Padding == s.Kernel - 1;

    /// <summary>Stride 2 with same padding: the windows of the stride-1 outputs at even positions.</summary>
    private static bool IsSameStride2(in Pool2dShape s) => s.Stride == 2 && 2 * s.Padding == s.Kernel - 1;

    /// <summary>Same-geometry max: the row pass runs over the plane as one flat row (vectors cross row ends, lanes mask
    /// cells outside their row); the column pass runs flat over the rows whose k rows all exist, then the clipped top
    /// and bottom rows.</summary>
    private static void MaxPlaneSame(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax,
        Span<float> rows, Span<int> cols, ReadOnlySpan<int> columnOf)
    {
        int h = s.Height, w = s.Width, k = s.Kernel, pad = s.Padding, len = h * w;
        int guard = pad * w;
        PoolRows.SameRowMax(x[..len], k, pad, w, columnOf, rows.Slice(guard, len), cols.Slice(guard, len));
        PoolRows.SameColumnMax(rows, cols, k, pad, w, len, y, argmax);
    }

    private static void AvgPlaneSame(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<float> rows,
        ReadOnlySpan<float> countPlane, ReadOnlySpan<int> columnOf)
    {
        int h = s.Height, w = s.Width, k = s.Kernel, pad = s.Padding, len = h * w;
        PoolRows.SameRowSum(x[..len], k, pad, w, columnOf, rows.Slice(pad * w, len));
        PoolRows.SameColumnSum(rows, k, pad, w, len, y);
        System.Numerics.Tensors.TensorPrimitives.Divide(y[..len], countPlane, y[..len]);
    }

    /// <summary>Same-geometry average backward. With 2·pad = k − 1 the transpose of each pass is the pass itself:
    /// input cell i is covered by the outputs i − pad .. i + pad.</summary>
    private static void AvgPlaneBackwardSame(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx,
        bool accumulate, Span<float> g, Span<float> vertical, ReadOnlySpan<float> countPlane,
        ReadOnlySpan<int> columnOf)
    {
        int h = s.Height, w = s.Width, k = s.Kernel, pad = s.Padding, len = h * w;
        // The same float division as the reference's share.
        System.Numerics.Tensors.TensorPrimitives.Divide(dy[..len], countPlane, g.Slice(pad * w, len));
        PoolRows.SameColumnSum(g, k, pad, w, len, vertical);
        if (!accumulate)
        {
            PoolRows.SameRowSum(vertical[..len], k, pad, w, columnOf, dx[..len]);
            return;
        }
        // Reuse g (consumed) for the row pass, then add.
        PoolRows.SameRowSum(vertical[..len], k, pad, w, columnOf, g[..len]);
        System.Numerics.Tensors.TensorPrimitives.Add(dx[..len], g[..len], dx[..len]);
    }

    /// <summary>columnOf[f] = f mod W over one plane, the lane columns that <see cref="PoolRows.SameRowMax"/> masks
    /// with; the same for every plane, so filled once per chunk.</summary>
    private static ReadOnlySpan<int> ColumnOf(in Pool2dShape s, Span<int> columnOf)
    {
        // Row by row, not f % W: the division cost more than a small plane's pooling.
        for (int start = 0; start < columnOf.Length; start += s.Width)
        {
            for (int c = 0; c < s.Width && start + c < columnOf.Length; c++)
            {
                columnOf[start + c] = c;
            }
        }
        return columnOf;
    }

    /// <summary>pad·W cells before and after a same-geometry plane in scratch, read (and masked) by the column pass.
    /// </summary>
    private static int Guard(in Pool2dShape s) => IsSame(s) ? s.Padding * s.Width : 0;

    /// <summary>Row-pass scratch: [H, OW] rows and the stride-1 slide for the general path, the guarded plane for the
    /// same-geometry path.</summary>
    private static int ScratchLength(in Pool2dShape s) =>
        Math.Max((s.Height * s.OutWidth) + SlideLength(s), (s.Height * s.Width) + (2 * Guard(s)));

    /// <summary>Window starts at stride 1 that the strided outputs pick from: (OW − 1)·stride + 1. Not W + 2·pad − k + 1:
    /// the output size truncates toward zero, so a window may overhang the right edge (1×1 input, k 2, stride 2).
    /// </summary>
    private static int SlideLength(in Pool2dShape s) => ((s.OutWidth - 1) * s.Stride) + 1;

    /// <summary>⌈a / b⌉ clamped at zero, for b &gt; 0.</summary>
    private static int CeilDiv(int a, int b) => a <= 0 ? 0 : (a + b - 1) / b;

    private static void CheckLengths(in Pool2dShape s, int inputLength, int outputLength)
    {
        s.Validate();
        if (inputLength < s.InputLength || outputLength < s.OutputLength)
        {
            throw new ArgumentException(
                $"Pooling {s} needs input {s.InputLength} and output {s.OutputLength} elements, " +
                $"got {inputLength} and {outputLength}.");
        }
    }

    private static int CheckGlobal(int batch, int channels, int planeSize, int planeLength, int valueLength)
    {
        if (batch <= 0 || channels <= 0 || planeSize <= 0)
        {
            throw new ArgumentException($"Global pooling sizes must be positive, got {batch}×{channels}×{planeSize}.");
        }
        int planes = batch * channels;
        if (planeLength < (long)planes * planeSize || valueLength < planes)
        {
            throw new ArgumentException(
                $"Global pooling needs {(long)planes * planeSize} plane and {planes} value elements, " +
                $"got {planeLength} and {valueLength}.");
        }
        return planes;
    }
}

using System.Buffers;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Max, average and global-average pooling over NCHW, forward and backward.</summary>
/// <remarks>
/// Contract is that of <see cref="PoolingReference"/>: x is [N, C, H, W], y is [N, C, OH, OW] with
/// OH = (H + 2·pad − k) / stride + 1; padding cells never win a max and are left out of an average's count; argmax
/// holds the flat index within the input plane, the first maximum in row-major window order winning ties. Spans may be
/// longer than the shape needs; shorter ones, or a geometry <see cref="Pool2dShape.Validate"/> rejects, throw
/// <see cref="ArgumentException"/>. Max forward and backward equal the reference bit for bit; averages differ only
/// by float rounding (the reference sums in double). Work is split into fixed chunks of (n, c) planes, so results
/// are bit-identical at any thread count.
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
                int rowsLen = shape.Height * shape.OutWidth, slideLen = SlideLength(shape);
                float[] rows = ArrayPool<float>.Shared.Rent(rowsLen + slideLen);
                int[] cols = ArrayPool<int>.Shared.Rent(rowsLen + slideLen);
                for (int p = first; p < last; p++)
                {
                    MaxPlane(shape, new ReadOnlySpan<float>((float*)xa + ((long)p * plane), plane),
                        new Span<float>((float*)ya + ((long)p * outPlane), outPlane),
                        new Span<int>((int*)aa + ((long)p * outPlane), outPlane),
                        rows.AsSpan(0, rowsLen + slideLen), cols.AsSpan(0, rowsLen + slideLen));
                }
                ArrayPool<float>.Shared.Return(rows);
                ArrayPool<int>.Shared.Return(cols);
            });
        }
    }

    /// <summary>dx (= or +=) the scatter of dy onto the argmax cells.</summary>
    /// <exception cref="ArgumentException">An argmax entry lies outside its input plane.</exception>
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
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        fixed (float* xp = x, yp = y)
        {
            nint xa = (nint)xp, ya = (nint)yp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                int rowsLen = shape.Height * shape.OutWidth, slideLen = SlideLength(shape), ow = shape.OutWidth;
                float[] scratch = ArrayPool<float>.Shared.Rent(rowsLen + slideLen + ow);
                var counts = scratch.AsSpan(rowsLen + slideLen, ow);
                ColumnCounts(shape, counts);
                for (int p = first; p < last; p++)
                {
                    AvgPlane(shape, new ReadOnlySpan<float>((float*)xa + ((long)p * plane), plane),
                        new Span<float>((float*)ya + ((long)p * outPlane), outPlane),
                        scratch.AsSpan(0, rowsLen + slideLen), counts);
                }
                ArrayPool<float>.Shared.Return(scratch);
            });
        }
    }

    /// <summary>dx (= or +=) each dy spread evenly over the input cells of its window.</summary>
    public static void AvgBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        CheckLengths(s, dx.Length, dy.Length);
        var shape = s;
        int plane = s.Height * s.Width, outPlane = s.OutHeight * s.OutWidth, planes = s.Batch * s.Channels;
        int per = FixedChunks.ItemsPerChunk(plane + outPlane);
        fixed (float* dyp = dy, dxp = dx)
        {
            nint dya = (nint)dyp, dxa = (nint)dxp;
            CpuParallel.For(FixedChunks.ChunkCount(planes, per), chunk =>
            {
                int first = chunk * per, last = Math.Min(planes, first + per);
                int ow = shape.OutWidth, len = outPlane + (2 * ow);
                float[] scratch = ArrayPool<float>.Shared.Rent(len);
                var counts = scratch.AsSpan(outPlane + ow, ow);
                ColumnCounts(shape, counts);
                for (int p = first; p < last; p++)
                {
                    AvgPlaneBackward(shape, new ReadOnlySpan<float>((float*)dya + ((long)p * outPlane), outPlane),
                        new Span<float>((float*)dxa + ((long)p * plane), plane), accumulate,
                        scratch.AsSpan(0, outPlane), scratch.AsSpan(outPlane, ow), counts);
                }
                ArrayPool<float>.Shared.Return(scratch);
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
        Span<float> rows, Span<int> cols)
    {
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
        ReadOnlySpan<float> counts)
    {
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
        Span<float> g, Span<float> vertical, ReadOnlySpan<float> counts)
    {
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

    /// <summary>Number of input columns inside each output column's window.</summary>
    private static void ColumnCounts(in Pool2dShape s, Span<float> counts)
    {
        for (int ox = 0; ox < s.OutWidth; ox++)
        {
            int left = (ox * s.Stride) - s.Padding;
            counts[ox] = Math.Min(s.Width, left + s.Kernel) - Math.Max(0, left);
        }
    }

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

namespace NasBench.Kernels.Cpu;

/// <summary>Moves activations between NCHW and the batch-minor layout [C, H·W, N] that
/// <see cref="BatchMinorDepthwiseKernel"/> and <see cref="BatchMinorPoolKernel"/> work on.</summary>
/// <remarks>Per channel both are the two orders of one N × (H·W) matrix, so each move is a transpose. It runs in
/// 16 × 16 tiles so that the side read with a stride touches 16 cache lines per tile, not one per element; every
/// element is a plain copy (or one addition), so the result does not depend on the tiling or the thread count. Work
/// is split into fixed chunks of channels.</remarks>
public static unsafe class BatchMinorLayout
{
    private const int Tile = 16;

    /// <summary>y[c, p, n] = x[n, c, p] for x [N, C, plane].</summary>
    public static void ToBatchMinor(int batch, int channels, int plane, ReadOnlySpan<float> x, Span<float> y,
        bool accumulate = false)
    {
        Check(batch, channels, plane, x.Length, nameof(x));
        Check(batch, channels, plane, y.Length, nameof(y));
        fixed (float* px = x, py = y)
        {
            nint xa = (nint)px, ya = (nint)py;
            ForChannelChunks(batch, channels, plane, (first, last) =>
            {
                for (int c = first; c < last; c++)
                {
                    // Source: rows n with stride C·plane; destination: rows p of N floats.
                    Transpose((float*)xa + (long)c * plane, (long)channels * plane, (float*)ya + (long)c * plane * batch,
                        batch, batch, plane, null, accumulate);
                }
            });
        }
    }

    /// <summary>x[n, c, p] (= or +=) y[c, p, n], plus <paramref name="addend"/>[n, c, p] when it is not empty.
    /// </summary>
    /// <param name="addend">Empty, or NCHW values added to each element (a cell node's running sum).</param>
    public static void FromBatchMinor(int batch, int channels, int plane, ReadOnlySpan<float> y, Span<float> x,
        bool accumulate = false, ReadOnlySpan<float> addend = default)
    {
        Check(batch, channels, plane, y.Length, nameof(y));
        Check(batch, channels, plane, x.Length, nameof(x));
        if (!addend.IsEmpty)
        {
            Check(batch, channels, plane, addend.Length, nameof(addend));
        }
        fixed (float* py = y, px = x, pa = addend)
        {
            nint ya = (nint)py, xa = (nint)px, aa = addend.IsEmpty ? 0 : (nint)pa;
            ForChannelChunks(batch, channels, plane, (first, last) =>
            {
                for (int c = first; c < last; c++)
                {
                    // Source: rows p of N floats; destination: rows n with stride C·plane.
                    float* add = aa == 0 ? null : (float*)aa + (long)c * plane;
                    Transpose((float*)ya + (long)c * plane * batch, batch, (float*)xa + (long)c * plane,
                        (long)channels * plane, plane, batch, add, accumulate);
                }
            });
        }
    }

    /// <summary>dst[j, i] (= or +=) src[i, j] (+ add[j, i]) for i &lt; rows, j &lt; cols, in tiles.</summary>
    private static void Transpose(float* src, long srcStride, float* dst, long dstStride, int rows, int cols,
        float* add, bool accumulate)
    {
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(cols, j0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    float* d = dst + j * dstStride;
                    float* a = add == null ? null : add + j * dstStride;
                    for (int i = i0; i < i1; i++)
                    {
                        float v = src[i * srcStride + j];
                        if (a != null)
                        {
                            v = a[i] + v;
                        }
                        d[i] = accumulate ? d[i] + v : v;
                    }
                }
            }
        }
    }

    private static void ForChannelChunks(int batch, int channels, int plane, Action<int, int> body)
    {
        int per = FixedChunks.ItemsPerChunk(2L * batch * plane);
        CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            body(chunk * per, Math.Min(channels, chunk * per + per)));
    }

    private static void Check(int batch, int channels, int plane, int length, string name)
    {
        if (batch < 1 || channels < 1 || plane < 1)
        {
            throw new ArgumentException(
                $"BatchMinorLayout: batch, channels and plane must be at least 1, got {batch}, {channels}, {plane}.");
        }
        long needed = (long)batch * channels * plane;
        if (length < needed)
        {
            throw new ArgumentException(
                $"BatchMinorLayout: {name} holds {length} elements, {needed} needed for [{batch}, {channels}, "
                + $"{plane}].", name);
        }
    }
}

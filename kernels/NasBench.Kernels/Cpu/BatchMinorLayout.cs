using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Gemm;

namespace NasBench.Kernels.Cpu;

/// <summary>Moves activations between NCHW and the batch-minor layout [C, H·W, N] that
/// <see cref="BatchMinorDepthwiseKernel"/> and <see cref="BatchMinorPoolKernel"/> work on.</summary>
/// <remarks>Per channel both are the two orders of one N × (H·W) matrix, so each move is a transpose. With AVX it
/// runs in 8 × 8 register tiles (<see cref="GemmTranspose.Transpose8x8"/>, the GEMM packing's); the rows and columns
/// left over, and machines without AVX, take a scalar loop. Every element is a plain copy (or one addition, in the
/// same order on both paths), so the result does not depend on the tiling or the thread count. Work is split into
/// fixed chunks of channels.</remarks>
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

    /// <summary>y[c, (i, j), n] = x[c, (2i + offset, 2j + offset), n] for x [C, H·W, N] and y [C, ⌈H/2⌉·⌈W/2⌉, N];
    /// cells past the edge (offset 1 on an odd size) are zero. The two grids of DARTS's FactorizedReduce.</summary>
    public static void Subsample2(int channels, int height, int width, int batch, int offset, ReadOnlySpan<float> x,
        Span<float> y)
    {
        CheckSubsample(channels, height, width, batch, offset, x.Length, "x", y.Length, "y");
        fixed (float* px = x, py = y)
        {
            Subsample2(channels, height, width, batch, offset, px, py, backward: false, accumulate: false);
        }
    }

    /// <summary>The gradient of <see cref="Subsample2(int, int, int, int, int, ReadOnlySpan{float}, Span{float})"/>:
    /// dx (= or +=) dy at the sampled cells, zero (or unchanged) elsewhere.</summary>
    public static void Subsample2Backward(int channels, int height, int width, int batch, int offset,
        ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        CheckSubsample(channels, height, width, batch, offset, dx.Length, "dx", dy.Length, "dy");
        fixed (float* pdx = dx, pdy = dy)
        {
            Subsample2(channels, height, width, batch, offset, pdx, pdy, backward: true, accumulate);
        }
    }

    private static void CheckSubsample(int channels, int height, int width, int batch, int offset, int fullLength,
        string fullName, int halfLength, string halfName)
    {
        if (offset is not (0 or 1))
        {
            throw new ArgumentException($"BatchMinorLayout: subsample offset must be 0 or 1, got {offset}.");
        }
        Check(batch, channels, height * width, fullLength, fullName);
        Check(batch, channels, ((height + 1) / 2) * ((width + 1) / 2), halfLength, halfName);
    }

    /// <summary>Forward: full → half; backward: half → full (= or +=, the unsampled cells zeroed or kept).</summary>
    private static void Subsample2(int channels, int height, int width, int batch, int offset, float* full,
        float* half, bool backward, bool accumulate)
    {
        int outH = (height + 1) / 2, outW = (width + 1) / 2;
        nint fa = (nint)full, ha = (nint)half;
        ForChannelChunks(batch, channels, height * width, (first, last) =>
        {
            for (int c = first; c < last; c++)
            {
                var f = new Span<float>((float*)fa + (long)c * height * width * batch, height * width * batch);
                var h = new Span<float>((float*)ha + (long)c * outH * outW * batch, outH * outW * batch);
                if (backward && !accumulate)
                {
                    f.Clear();
                }
                for (int i = 0; i < outH; i++)
                {
                    for (int j = 0; j < outW; j++)
                    {
                        int row = 2 * i + offset, col = 2 * j + offset;
                        var cell = h.Slice((i * outW + j) * batch, batch);
                        if (row >= height || col >= width)
                        {
                            if (!backward)
                            {
                                cell.Clear();
                            }
                            continue;
                        }
                        var source = f.Slice((row * width + col) * batch, batch);
                        if (!backward)
                        {
                            source.CopyTo(cell);
                        }
                        else if (accumulate)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Add(source, cell, source);
                        }
                        else
                        {
                            cell.CopyTo(source);
                        }
                    }
                }
            }
        });
    }

    /// <summary>dst[j, i] (= or +=) src[i, j] (+ add[j, i]) for i &lt; rows, j &lt; cols, in tiles.</summary>
    private static void Transpose(float* src, long srcStride, float* dst, long dstStride, int rows, int cols,
        float* add, bool accumulate)
    {
        if (!Avx.IsSupported)
        {
            TransposeScalar(src, srcStride, dst, dstStride, 0, rows, 0, cols, add, accumulate);
            return;
        }
        int rows8 = rows & ~7, cols8 = cols & ~7;
        float* tile = stackalloc float[64];
        for (int i = 0; i < rows8; i += 8)
        {
            for (int j = 0; j < cols8; j += 8)
            {
                Tile8(src + i * srcStride + j, srcStride, dst + j * dstStride + i, dstStride,
                    add == null ? null : add + j * dstStride + i, accumulate, tile);
            }
        }
        // The right-hand columns of every row, then the bottom rows of the 8-column part.
        TransposeScalar(src, srcStride, dst, dstStride, 0, rows, cols8, cols, add, accumulate);
        TransposeScalar(src, srcStride, dst, dstStride, rows8, rows, 0, cols8, add, accumulate);
    }

    /// <summary>One 8 × 8 block: dst row r (= or +=) (add row r +) src column r. The plain move goes straight
    /// through <see cref="GemmTranspose.Transpose8x8"/>; with an addend or accumulation the block is transposed into
    /// <paramref name="tile"/> (64 floats) first and added row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8(float* src, long srcStride, float* dst, long dstStride, float* add, bool accumulate,
        float* tile)
    {
        if (add == null && !accumulate)
        {
            GemmTranspose.Transpose8x8(src, (nint)srcStride, dst, (nint)dstStride);
            return;
        }
        GemmTranspose.Transpose8x8(src, (nint)srcStride, tile, 8);
        for (int r = 0; r < 8; r++)
        {
            StoreRow(dst + r * dstStride, add == null ? null : add + r * dstStride, accumulate,
                Avx.LoadVector256(tile + 8 * r));
        }
    }

    /// <summary>dst (= or +=) (add +) v, the scalar loop's order of operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* dst, float* add, bool accumulate, Vector256<float> v)
    {
        if (add != null)
        {
            v = Avx.Add(Avx.LoadVector256(add), v);
        }
        if (accumulate)
        {
            v = Avx.Add(Avx.LoadVector256(dst), v);
        }
        Avx.Store(dst, v);
    }

    /// <summary>The scalar transpose of rows [rowsFrom, rows) × columns [colsFrom, cols), in 16 × 16 tiles.</summary>
    private static void TransposeScalar(float* src, long srcStride, float* dst, long dstStride, int rowsFrom,
        int rows, int colsFrom, int cols, float* add, bool accumulate)
    {
        for (int i0 = rowsFrom; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = colsFrom; j0 < cols; j0 += Tile)
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

namespace NasBench.Kernels.Cpu;

/// <summary>Copies a strided, shifted window of one image plane into a dense scratch plane, zero outside the source.
/// </summary>
/// <remarks>This is how the direct convolution kernels get rid of padding tests and of strides: the input is copied
/// once into zero-padded planes (one per stride phase), after which every filter tap is a plain shifted load.</remarks>
internal static unsafe class PaddedPlane
{
    /// <summary><c>dst[r, c] = src[r·strideY + originY, c·strideX + originX]</c>, or 0 outside src.</summary>
    /// <remarks>dst is rows × cols, row-major and dense; src is srcH × srcW, row-major and dense. With
    /// <paramref name="zerosInPlace"/> the caller promises dst was filled before with the same geometry, so its zeros
    /// are already there and only the values copied from src are written: across the planes of one chunk the padding
    /// never changes, and rewriting it cost more than the copy. With <paramref name="relu"/> the copied values pass
    /// through max(·, 0) (a ReLU fused into the convolution that reads the plane).</remarks>
    public static void Fill(float* dst, int rows, int cols, float* src, int srcH, int srcW,
        int strideY, int originY, int strideX, int originX, bool zerosInPlace = false, bool relu = false)
    {
        // Columns c with 0 <= c·strideX + originX < srcW are the same for every row; rows r with
        // 0 <= r·strideY + originY < srcH are one run [rLo, rHi).
        int cLo = Math.Clamp(CeilDiv(-originX, strideX), 0, cols);
        int cHi = Math.Clamp(FloorDiv(srcW - 1 - originX, strideX) + 1, cLo, cols);
        int rLo = Math.Clamp(CeilDiv(-originY, strideY), 0, rows);
        int rHi = Math.Clamp(FloorDiv(srcH - 1 - originY, strideY) + 1, rLo, rows);
        if (!zerosInPlace)
        {
            new Span<float>(dst, rLo * cols).Clear();
            new Span<float>(dst + ((long)rHi * cols), (rows - rHi) * cols).Clear();
            for (int r = rLo; r < rHi; r++)
            {
                float* d = dst + ((long)r * cols);
                new Span<float>(d, cLo).Clear();
                new Span<float>(d + cHi, cols - cHi).Clear();
            }
        }
        if (rHi == rLo)
        {
            return;
        }
        long srcRowStride = (long)strideY * srcW;
        float* s0 = src + ((((long)rLo * strideY) + originY) * srcW) + originX;
        float* d0 = dst + ((long)rLo * cols);
        if (strideX == 1)
        {
            RowCopy.Rows(s0 + cLo, srcRowStride, d0 + cLo, cols, rHi - rLo, cHi - cLo,
                relu ? RowCopy.RowOp.Relu : RowCopy.RowOp.Copy);
            return;
        }
        for (int r = rLo; r < rHi; r++)
        {
            float* d = d0 + ((long)(r - rLo) * cols);
            float* s = s0 + ((r - rLo) * srcRowStride);
            if (strideX == 2)
            {
                RowCopy.GatherEven(s + (2 * cLo), d + cLo, cHi - cLo, relu);
            }
            else if (relu)
            {
                for (int c = cLo; c < cHi; c++)
                {
                    d[c] = MathF.Max(s[c * strideX], 0f);
                }
            }
            else
            {
                for (int c = cLo; c < cHi; c++)
                {
                    d[c] = s[c * strideX];
                }
            }
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a.</summary>
    public static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>⌊a / b⌋ for b &gt; 0 and any sign of a.</summary>
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

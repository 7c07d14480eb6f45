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
        // Columns c with 0 <= c·strideX + originX < srcW are the same for every row.
        int cLo = Math.Clamp(CeilDiv(-originX, strideX), 0, cols);
        int cHi = Math.Clamp(FloorDiv(srcW - 1 - originX, strideX) + 1, cLo, cols);
        for (int r = 0; r < rows; r++)
        {
            float* d = dst + ((long)r * cols);
            int sr = (r * strideY) + originY;
            if (sr < 0 || sr >= srcH)
            {
                if (!zerosInPlace)
                {
                    new Span<float>(d, cols).Clear();
                }
                continue;
            }
            if (!zerosInPlace)
            {
                new Span<float>(d, cLo).Clear();
                new Span<float>(d + cHi, cols - cHi).Clear();
            }
            float* s = src + ((long)sr * srcW) + originX;
            if (strideX == 1)
            {
                if (relu)
                {
                    RowCopy.CopyRelu(s + cLo, d + cLo, cHi - cLo);
                }
                else
                {
                    RowCopy.Copy(s + cLo, d + cLo, cHi - cLo);
                }
            }
            else if (strideX == 2)
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

namespace NasBench.Kernels.Cpu;

/// <summary>im2col and col2im for one image, one group and one band of output rows.</summary>
/// <remarks>
/// col is [cinG·KH·KW, (oy1 − oy0)·OW], row r = (ci·KH + ky)·KW + kx, column (oy − oy0)·OW + ox, holding
/// x[ci, oy·sh − ph + ky·dh, ox·sw − pw + kx·dw] or 0 in the padding. Working on a band of output rows keeps col
/// cache-sized (peers.md §2: batch-wide col matrices run the GEMM at a third of its speed).
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Gathers the band [oy0, oy1) of x (cinG channels, H × W each) into col.</summary>
    public static void Gather(in Conv2dShape s, int cinG, float* x, int oy0, int oy1, float* col)
    {
        int ow = s.OutWidth, bandCols = (oy1 - oy0) * ow;
        for (int ci = 0; ci < cinG; ci++)
        {
            float* xc = x + ((long)ci * s.Height * s.Width);
            for (int ky = 0; ky < s.KernelH; ky++)
            {
                for (int kx = 0; kx < s.KernelW; kx++)
                {
                    float* dst = col + ((long)((((ci * s.KernelH) + ky) * s.KernelW) + kx) * bandCols);
                    int x0 = (kx * s.DilationW) - s.PadW;
                    (int lo, int hi) = ValidColumns(s, x0);
                    for (int oy = oy0; oy < oy1; oy++, dst += ow)
                    {
                        int iy = (oy * s.StrideH) - s.PadH + (ky * s.DilationH);
                        if (iy < 0 || iy >= s.Height)
                        {
                            new Span<float>(dst, ow).Clear();
                            continue;
                        }
                        float* src = xc + ((long)iy * s.Width) + x0;
                        // The padding strips are a few floats: plain stores beat a call.
                        for (int ox = 0; ox < lo; ox++)
                        {
                            dst[ox] = 0;
                        }
                        if (s.StrideW == 1)
                        {
                            RowCopy.Copy(src + lo, dst + lo, hi - lo);
                        }
                        else if (s.StrideW == 2)
                        {
                            // The 1×1 stride-2 convolutions of factorized reduce (DARTS's reduction cells): a scalar
                            // loop here was 2.7 % of a supernet step.
                            RowCopy.GatherEven(src + (2 * lo), dst + lo, hi - lo, relu: false);
                        }
                        else
                        {
                            for (int ox = lo; ox < hi; ox++)
                            {
                                dst[ox] = src[ox * s.StrideW];
                            }
                        }
                        for (int ox = hi; ox < ow; ox++)
                        {
                            dst[ox] = 0;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds the band [oy0, oy1) of col back into dx (cinG channels, H × W each): the adjoint of
    /// <see cref="Gather"/>.</summary>
    public static void ScatterAdd(in Conv2dShape s, int cinG, float* col, int oy0, int oy1, float* dx)
    {
        int ow = s.OutWidth, bandCols = (oy1 - oy0) * ow;
        for (int ci = 0; ci < cinG; ci++)
        {
            float* dc = dx + ((long)ci * s.Height * s.Width);
            for (int ky = 0; ky < s.KernelH; ky++)
            {
                for (int kx = 0; kx < s.KernelW; kx++)
                {
                    float* from = col + ((long)((((ci * s.KernelH) + ky) * s.KernelW) + kx) * bandCols);
                    int x0 = (kx * s.DilationW) - s.PadW;
                    (int lo, int hi) = ValidColumns(s, x0);
                    if (hi <= lo)
                    {
                        continue;
                    }
                    for (int oy = oy0; oy < oy1; oy++, from += ow)
                    {
                        int iy = (oy * s.StrideH) - s.PadH + (ky * s.DilationH);
                        if (iy < 0 || iy >= s.Height)
                        {
                            continue;
                        }
                        float* dst = dc + ((long)iy * s.Width) + x0;
                        if (s.StrideW == 1)
                        {
                            RowCopy.Add(from + lo, dst + lo, hi - lo);
                        }
                        else
                        {
                            for (int ox = lo; ox < hi; ox++)
                            {
                                dst[ox * s.StrideW] += from[ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Output columns ox in [lo, hi) whose input column ox·sw + x0 lies inside the image.</summary>
    private static (int Lo, int Hi) ValidColumns(in Conv2dShape s, int x0)
    {
        int lo = Math.Clamp(PaddedPlane.CeilDiv(-x0, s.StrideW), 0, s.OutWidth);
        int hi = Math.Clamp(PaddedPlane.FloorDiv(s.Width - 1 - x0, s.StrideW) + 1, lo, s.OutWidth);
        return (lo, hi);
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Reference;

/// <summary>Direct loop convolution (any groups, stride, padding, dilation): the oracle for the fast kernels.</summary>
public static class Conv2dReference
{
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y)
    {
        int oh = s.OutHeight, ow = s.OutWidth, cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        for (int n = 0; n < s.Batch; n++)
        for (int co = 0; co < s.OutChannels; co++)
        {
            int g = co / coutG;
            for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                double sum = bias.IsEmpty ? 0 : bias[co];
                for (int ci = 0; ci < cinG; ci++)
                for (int ky = 0; ky < s.KernelH; ky++)
                for (int kx = 0; kx < s.KernelW; kx++)
                {
                    int iy = (oy * s.StrideH) - s.PadH + (ky * s.DilationH);
                    int ix = (ox * s.StrideW) - s.PadW + (kx * s.DilationW);
                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                    {
                        continue;
                    }
                    int cin = (g * cinG) + ci;
                    sum += (double)x[(((n * s.InChannels) + cin) * s.Height + iy) * s.Width + ix]
                        * w[(((co * cinG) + ci) * s.KernelH + ky) * s.KernelW + kx];
                }
                y[(((n * s.OutChannels) + co) * oh + oy) * ow + ox] = (float)sum;
            }
        }
    }

    /// <summary>dx (= or +=) Σ over the output positions each input feeds.</summary>
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate)
    {
        var acc = new double[s.InputLength];
        int oh = s.OutHeight, ow = s.OutWidth, cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        for (int n = 0; n < s.Batch; n++)
        for (int co = 0; co < s.OutChannels; co++)
        {
            int g = co / coutG;
            for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                double g0 = dy[(((n * s.OutChannels) + co) * oh + oy) * ow + ox];
                for (int ci = 0; ci < cinG; ci++)
                for (int ky = 0; ky < s.KernelH; ky++)
                for (int kx = 0; kx < s.KernelW; kx++)
                {
                    int iy = (oy * s.StrideH) - s.PadH + (ky * s.DilationH);
                    int ix = (ox * s.StrideW) - s.PadW + (kx * s.DilationW);
                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                    {
                        continue;
                    }
                    int cin = (g * cinG) + ci;
                    acc[(((n * s.InChannels) + cin) * s.Height + iy) * s.Width + ix] +=
                        g0 * w[(((co * cinG) + ci) * s.KernelH + ky) * s.KernelW + kx];
                }
            }
        }
        for (int i = 0; i < acc.Length; i++)
        {
            dx[i] = (float)acc[i] + (accumulate ? dx[i] : 0f);
        }
    }

    /// <summary>dw (= or +=) Σ dy·x; dbias (= or +=) Σ dy when <paramref name="dbias"/> is not empty.</summary>
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate)
    {
        var acc = new double[s.WeightLength];
        var accB = new double[s.OutChannels];
        int oh = s.OutHeight, ow = s.OutWidth, cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        for (int n = 0; n < s.Batch; n++)
        for (int co = 0; co < s.OutChannels; co++)
        {
            int g = co / coutG;
            for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                double g0 = dy[(((n * s.OutChannels) + co) * oh + oy) * ow + ox];
                accB[co] += g0;
                for (int ci = 0; ci < cinG; ci++)
                for (int ky = 0; ky < s.KernelH; ky++)
                for (int kx = 0; kx < s.KernelW; kx++)
                {
                    int iy = (oy * s.StrideH) - s.PadH + (ky * s.DilationH);
                    int ix = (ox * s.StrideW) - s.PadW + (kx * s.DilationW);
                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                    {
                        continue;
                    }
                    int cin = (g * cinG) + ci;
                    acc[(((co * cinG) + ci) * s.KernelH + ky) * s.KernelW + kx] +=
                        g0 * x[(((n * s.InChannels) + cin) * s.Height + iy) * s.Width + ix];
                }
            }
        }
        for (int i = 0; i < acc.Length; i++)
        {
            dw[i] = (float)acc[i] + (accumulate ? dw[i] : 0f);
        }
        if (!dbias.IsEmpty)
        {
            for (int i = 0; i < accB.Length; i++)
            {
                dbias[i] = (float)accB[i] + (accumulate ? dbias[i] : 0f);
            }
        }
    }
}

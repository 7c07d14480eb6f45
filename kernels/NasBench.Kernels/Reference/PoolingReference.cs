using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Reference;

/// <summary>Loop pooling oracle. Padding cells never win a max and are excluded from an average's count
/// (PyTorch's <c>count_include_pad=False</c>, which DARTS uses).</summary>
public static class PoolingReference
{
    /// <summary>y = window max; <paramref name="argmax"/> gets the flat input index (within the image plane) of each max.</summary>
    public static void MaxForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            float best = float.NegativeInfinity;
            int bestIdx = -1;
            for (int ky = 0; ky < s.Kernel; ky++)
            for (int kx = 0; kx < s.Kernel; kx++)
            {
                int iy = (oy * s.Stride) - s.Padding + ky, ix = (ox * s.Stride) - s.Padding + kx;
                if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                {
                    continue;
                }
                float v = x[(nc * plane) + (iy * s.Width) + ix];
                if (v > best || bestIdx < 0)
                {
                    best = v;
                    bestIdx = (iy * s.Width) + ix;
                }
            }
            int o = (nc * oh * ow) + (oy * ow) + ox;
            y[o] = best;
            argmax[o] = bestIdx;
        }
    }

    public static void MaxBackward(in Pool2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx,
        bool accumulate)
    {
        int outPlane = s.OutHeight * s.OutWidth, plane = s.Height * s.Width;
        if (!accumulate)
        {
            dx[..s.InputLength].Clear();
        }
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        for (int o = 0; o < outPlane; o++)
        {
            dx[(nc * plane) + argmax[(nc * outPlane) + o]] += dy[(nc * outPlane) + o];
        }
    }

    public static void AvgForward(in Pool2dShape s, ReadOnlySpan<float> x, Span<float> y)
    {
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            double sum = 0;
            int count = 0;
            for (int ky = 0; ky < s.Kernel; ky++)
            for (int kx = 0; kx < s.Kernel; kx++)
            {
                int iy = (oy * s.Stride) - s.Padding + ky, ix = (ox * s.Stride) - s.Padding + kx;
                if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                {
                    continue;
                }
                sum += x[(nc * plane) + (iy * s.Width) + ix];
                count++;
            }
            y[(nc * oh * ow) + (oy * ow) + ox] = (float)(sum / count);
        }
    }

    public static void AvgBackward(in Pool2dShape s, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        int oh = s.OutHeight, ow = s.OutWidth, plane = s.Height * s.Width;
        if (!accumulate)
        {
            dx[..s.InputLength].Clear();
        }
        for (int nc = 0; nc < s.Batch * s.Channels; nc++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            int count = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                float share = pass == 1 ? dy[(nc * oh * ow) + (oy * ow) + ox] / count : 0f;
                for (int ky = 0; ky < s.Kernel; ky++)
                for (int kx = 0; kx < s.Kernel; kx++)
                {
                    int iy = (oy * s.Stride) - s.Padding + ky, ix = (ox * s.Stride) - s.Padding + kx;
                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width)
                    {
                        continue;
                    }
                    if (pass == 0)
                    {
                        count++;
                    }
                    else
                    {
                        dx[(nc * plane) + (iy * s.Width) + ix] += share;
                    }
                }
            }
        }
    }

    /// <summary>y[n,c] = mean over the h·w plane.</summary>
    public static void GlobalAvgForward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int nc = 0; nc < batch * channels; nc++)
        {
            double sum = 0;
            for (int i = 0; i < planeSize; i++)
            {
                sum += x[(nc * planeSize) + i];
            }
            y[nc] = (float)(sum / planeSize);
        }
    }

    public static void GlobalAvgBackward(int batch, int channels, int planeSize, ReadOnlySpan<float> dy, Span<float> dx,
        bool accumulate)
    {
        for (int nc = 0; nc < batch * channels; nc++)
        {
            float share = dy[nc] / planeSize;
            for (int i = 0; i < planeSize; i++)
            {
                int j = (nc * planeSize) + i;
                dx[j] = share + (accumulate ? dx[j] : 0f);
            }
        }
    }
}

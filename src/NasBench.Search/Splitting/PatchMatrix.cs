using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Splitting;

/// <summary>The neuron inputs z_p of a splittable unit as rows of a [M, d] matrix (im2col for a conv, the input rows
/// for a linear unit), matching the layout of a weight row so that W[j]·z_p is the pre-BN output.</summary>
internal static class PatchMatrix
{
    /// <summary>Rows m = (n·OH + oy)·OW + ox for a conv; m = n for a linear unit.</summary>
    public static float[] Build(SplittableUnit unit, Tensor input, out int rows)
    {
        if (unit is HiddenLinearUnit)
        {
            rows = input.Shape[0];
            return input.ToArray();
        }
        var conv = (ConvUnit)unit;
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int k = conv.Kernel, s = conv.Stride, pad = k / 2;
        int oh = ((h - 1) / s) + 1, ow = ((w - 1) / s) + 1, d = c * k * k;
        rows = n * oh * ow;
        var z = new float[(long)rows * d];
        var x = input.AsReadOnlySpan();
        for (int b = 0; b < n; b++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    int m = (((b * oh) + oy) * ow) + ox;
                    var row = z.AsSpan(m * d, d);
                    for (int ci = 0; ci < c; ci++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            int iy = (oy * s) - pad + ky;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int ix = (ox * s) - pad + kx;
                                row[(((ci * k) + ky) * k) + kx] = iy >= 0 && iy < h && ix >= 0 && ix < w
                                    ? x[(((((b * c) + ci) * h) + iy) * w) + ix]
                                    : 0f;
                            }
                        }
                    }
                }
            }
        }
        return z;
    }
}

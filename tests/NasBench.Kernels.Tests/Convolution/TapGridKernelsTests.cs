using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary><see cref="TapGridKernels.Sum"/>: the row-shared tap sum must give <see cref="TapKernels.Sum"/>'s bits
/// (the depthwise kernel splits runs between the two) and the sum a double-precision loop gives.</summary>
public unsafe class TapGridKernelsTests
{
    /// <summary>Filter side, row step, column step (dilation), length: whole bands, a moved-back last band, a partial
    /// last row, row steps that are and are not multiples of 16, a dilated grid, and runs too short for a band (the
    /// plain sum).</summary>
    public static TheoryData<int, int, int, int> Runs => new()
    {
        { 3, 30, 1, 28 * 30 },
        { 3, 30, 1, (27 * 30) + 28 },
        { 3, 16, 1, (13 * 16) + 14 },
        { 3, 37, 2, (11 * 37) + 5 },
        { 5, 32, 1, (27 * 32) + 28 },
        { 5, 64, 2, (13 * 64) + 60 },
        { 5, 17, 1, 8 * 17 },
        { 3, 30, 1, (7 * 30) + 29 },
        { 5, 15, 1, 20 * 15 },
        { 7, 30, 1, 20 * 30 },
    };

    [Vector512Theory]
    [MemberData(nameof(Runs))]
    public void Grid_sum_equals_the_plain_tap_sum_bit_for_bit_and_the_double_reference(int k, int rowStep,
        int colStep, int length)
    {
        int taps = k * k;
        int span = length + ((k - 1) * rowStep) + ((k - 1) * colStep);
        var input = ConvolutionData.Random(span, 7);
        var w = ConvolutionData.Random(taps, 8);
        var grid = Enumerable.Repeat(float.NaN, length).ToArray();
        var plain = Enumerable.Repeat(float.NaN, length).ToArray();
        fixed (float* x = input, pw = w, pg = grid, pp = plain)
        {
            float** src = stackalloc float*[taps];
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    src[(ky * k) + kx] = x + (ky * rowStep) + (kx * colStep);
                }
            }
            TapGridKernels.Sum(pg, length, src, pw, k, rowStep);
            TapKernels.Sum(pp, length, src, pw, taps);
        }
        for (int i = 0; i < length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(grid[i]) == BitConverter.SingleToInt32Bits(plain[i]),
                $"element {i}: grid {grid[i]:R}, plain {plain[i]:R}");
            double expected = 0;
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    expected += (double)w[(ky * k) + kx] * input[i + (ky * rowStep) + (kx * colStep)];
                }
            }
            Assert.Equal(expected, grid[i], 1e-4);
        }
    }

    /// <summary>Filter side, output rows and columns, source row (the padded width), dilation: the supernet's 28×28
    /// heads in a scratch padded by 4 and by their own padding, rows not a multiple of eight, dilation 2 and 3, and
    /// the widest rows a vector does not divide.</summary>
    public static TheoryData<int, int, int, int, int> Planes => new()
    {
        { 3, 28, 28, 36, 1 },
        { 3, 28, 28, 30, 1 },
        { 5, 28, 28, 36, 2 },
        { 5, 28, 28, 32, 1 },
        { 3, 28, 28, 36, 2 },
        { 3, 27, 17, 19, 1 },
        { 5, 30, 16, 24, 2 },
        { 3, 26, 33, 39, 3 },
    };

    [Vector512Theory]
    [MemberData(nameof(Planes))]
    public void Row_sum_writes_the_flat_run_cropped_bit_for_bit_and_nothing_else(int k, int outH, int outW,
        int srcRow, int dilation)
    {
        int taps = k * k, flatLength = ((outH - 1) * srcRow) + outW;
        int span = flatLength + ((k - 1) * dilation * srcRow) + ((k - 1) * dilation);
        var input = ConvolutionData.Random(span, 9);
        var w = ConvolutionData.Random(taps, 10);
        const int Guard = 32;
        var rows = Enumerable.Repeat(float.NaN, (outH * outW) + (2 * Guard)).ToArray();
        var flat = new float[flatLength];
        bool done;
        fixed (float* x = input, pw = w, pr = rows, pf = flat)
        {
            float** src = stackalloc float*[taps];
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    src[(ky * k) + kx] = x + (ky * dilation * srcRow) + (kx * dilation);
                }
            }
            done = TapGridKernels.SumRows(pr + Guard, outH, outW, src, pw, k, dilation, srcRow);
            TapKernels.Sum(pf, flatLength, src, pw, taps);
        }
        Assert.True(done, "every plane of this set fits the bands");
        for (int i = 0; i < Guard; i++)
        {
            Assert.True(float.IsNaN(rows[i]) && float.IsNaN(rows[Guard + (outH * outW) + i]),
                $"a store outside the plane, {i} floats from its edge");
        }
        for (int oy = 0; oy < outH; oy++)
        {
            for (int ox = 0; ox < outW; ox++)
            {
                float got = rows[Guard + (oy * outW) + ox], expected = flat[(oy * srcRow) + ox];
                Assert.True(BitConverter.SingleToInt32Bits(got) == BitConverter.SingleToInt32Bits(expected),
                    $"({oy}, {ox}): rows {got:R}, flat {expected:R}");
            }
        }
    }

    /// <summary>Rows narrower than a vector, too few rows per dilation class, or a 7×7 filter: declined, and the
    /// destination untouched.</summary>
    [Vector512Theory]
    [InlineData(3, 28, 14, 16, 1)]
    [InlineData(3, 14, 28, 30, 2)]
    [InlineData(7, 28, 28, 34, 1)]
    public void Row_sum_declines_planes_that_do_not_fit_the_bands(int k, int outH, int outW, int srcRow,
        int dilation)
    {
        int taps = k * k;
        var input = ConvolutionData.Random((outH + k) * dilation * srcRow, 11);
        var w = ConvolutionData.Random(taps, 12);
        var rows = Enumerable.Repeat(float.NaN, outH * outW).ToArray();
        fixed (float* x = input, pw = w, pr = rows)
        {
            float** src = stackalloc float*[taps];
            for (int t = 0; t < taps; t++)
            {
                src[t] = x + ((t / k) * dilation * srcRow) + (t % k * dilation);
            }
            Assert.False(TapGridKernels.SumRows(pr, outH, outW, src, pw, k, dilation, srcRow));
        }
        Assert.All(rows, v => Assert.True(float.IsNaN(v)));
    }
}

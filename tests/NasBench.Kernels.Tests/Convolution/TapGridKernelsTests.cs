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
}

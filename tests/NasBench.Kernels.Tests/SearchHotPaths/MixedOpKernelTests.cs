using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.SearchHotPaths;

public class MixedOpKernelTests
{
    // Each output element is K roundings away from the exact sum; tolerance scales with Σ|w_k·x_k|.
    private const double ElementRelTol = 1e-6;

    // dW sums up to a 16384-element chunk in float lanes: bound well above the observed error, far below the signal.
    private const double DotRelTol = 1e-4;

    public static TheoryData<int> Widths() => new(TestData.Widths.Select(w => (int)w));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Forward_matches_reference_for_every_length_and_K(int simdWidth)
    {
        var width = (SimdWidth)simdWidth;
        var random = new Random(11);
        foreach (int n in TestData.Lengths())
        {
            for (int k = 1; k <= 8; k++)
            {
                // Pooled inputs are longer than the output: the tail must be ignored.
                var inputs = Enumerable.Range(0, k).Select(_ => TestData.Uniform(random, n + 7)).ToArray();
                var w = TestData.Uniform(random, k, 0f, 1f);
                var expected = new float[n];
                MixedOpReference.Forward(w, inputs, expected);
                foreach (bool nonTemporal in new[] { false, true })
                {
                    var actual = Enumerable.Repeat(float.NaN, n).ToArray();
                    MixedOpKernel.Forward(w, inputs, actual, width, nonTemporal);
                    for (int i = 0; i < n; i++)
                    {
                        double scale = Enumerable.Range(0, k).Sum(j => Math.Abs((double)w[j] * inputs[j][i]));
                        Assert.True(Math.Abs(actual[i] - expected[i]) <= (ElementRelTol * scale) + 1e-30,
                            $"n={n} K={k} i={i} nt={nonTemporal}: {actual[i]} vs {expected[i]}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Backward_matches_reference_for_every_length_and_K(int simdWidth)
    {
        var width = (SimdWidth)simdWidth;
        var random = new Random(12);
        foreach (int n in TestData.Lengths())
        {
            for (int k = 1; k <= 8; k++)
            {
                var inputs = Enumerable.Range(0, k).Select(_ => TestData.Uniform(random, n + 3)).ToArray();
                var w = TestData.Uniform(random, k, 0f, 1f);
                var dy = TestData.Uniform(random, n);
                foreach (bool accumulate in new[] { false, true })
                {
                    // Every third gradient is absent (a frozen candidate); dW must still be produced for it.
                    var start = Enumerable.Range(0, k)
                        .Select(j => j % 3 == 2 ? null : TestData.Uniform(random, n + 5)).ToArray();
                    var expectedDx = start.Select(a => a?.ToArray()).ToArray();
                    var expectedDw = new float[k];
                    MixedOpReference.Backward(w, inputs, dy, expectedDx, expectedDw, accumulate);
                    var actualDx = start.Select(a => a?.ToArray()).ToArray();
                    var actualDw = Enumerable.Repeat(float.NaN, k).ToArray();
                    MixedOpKernel.Backward(w, inputs, dy, actualDx, actualDw, accumulate, width, nonTemporal: n % 2 == 1);
                    for (int j = 0; j < k; j++)
                    {
                        double scale = 0;
                        for (int i = 0; i < n; i++)
                        {
                            scale += Math.Abs((double)inputs[j][i] * dy[i]);
                        }
                        Assert.True(Math.Abs(actualDw[j] - expectedDw[j]) <= (DotRelTol * scale) + 1e-30,
                            $"dW n={n} K={k} j={j}: {actualDw[j]} vs {expectedDw[j]}");
                        if (expectedDx[j] is not { } ex)
                        {
                            Assert.Null(actualDx[j]);
                            continue;
                        }
                        var ax = actualDx[j]!;
                        for (int i = 0; i < ex.Length; i++)
                        {
                            // Past n the pooled tail must be untouched (bit-equal to what the reference left).
                            double tol = i < n ? 1e-6 * (Math.Abs(w[j] * dy[i]) + Math.Abs(start[j]![i])) : 0;
                            Assert.True(Math.Abs(ax[i] - ex[i]) <= tol,
                                $"dx n={n} K={k} j={j} i={i} acc={accumulate}: {ax[i]} vs {ex[i]}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Streaming_stores_do_not_change_a_single_bit()
    {
        // With streaming stores dx is peeled to its vector alignment; the weight gradients must not see the peel,
        // or they would depend on where the GC placed the dx arrays.
        var random = new Random(17);
        int n = (2 * MixedOpKernel.ChunkLength) + 777;
        const int K = 7;
        var inputs = Enumerable.Range(0, K).Select(_ => TestData.Uniform(random, n)).ToArray();
        var w = TestData.Uniform(random, K, 0f, 1f);
        var dy = TestData.Uniform(random, n);
        var start = TestData.Uniform(random, n);
        foreach (bool accumulate in new[] { false, true })
        {
            (float[][] Dx, float[] Dw) Run(bool nonTemporal)
            {
                var dx = Enumerable.Range(0, K).Select(_ => (float[])start.Clone()).ToArray();
                var dw = new float[K];
                MixedOpKernel.Backward(w, inputs, dy, dx, dw, accumulate, SimdWidth.Best, nonTemporal);
                return (dx, dw);
            }
            var cached = Run(false);
            var streamed = Run(true);
            Assert.Equal(cached.Dw, streamed.Dw);
            for (int j = 0; j < K; j++)
            {
                Assert.Equal(cached.Dx[j], streamed.Dx[j]);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_and_two_threads_are_bit_identical(bool nonTemporal)
    {
        var random = new Random(13);
        int n = (3 * MixedOpKernel.ChunkLength) + 1234;
        const int K = 8;
        var inputs = Enumerable.Range(0, K).Select(_ => TestData.Uniform(random, n)).ToArray();
        var w = TestData.Uniform(random, K, 0f, 1f);
        var dy = TestData.Uniform(random, n);

        (float[] Y, float[][] Dx, float[] Dw) Run(int threads)
        {
            using var _ = CpuParallel.Limit(threads);
            var y = new float[n];
            MixedOpKernel.Forward(w, inputs, y, SimdWidth.Best, nonTemporal);
            var dx = Enumerable.Range(0, K).Select(_ => new float[n]).ToArray();
            var dw = new float[K];
            MixedOpKernel.Backward(w, inputs, dy, dx, dw, accumulate: false, SimdWidth.Best, nonTemporal);
            return (y, dx, dw);
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dw, two.Dw);
        for (int j = 0; j < K; j++)
        {
            Assert.Equal(one.Dx[j], two.Dx[j]);
        }
    }

    [Fact]
    public void Public_entry_points_agree_with_reference_on_a_multi_chunk_tensor()
    {
        var random = new Random(14);
        int n = 64 * 16 * 28 * 28 / 8;
        const int K = 5;
        var inputs = Enumerable.Range(0, K).Select(_ => TestData.Uniform(random, n)).ToArray();
        var w = TestData.Uniform(random, K, 0f, 1f);
        var y = new float[n];
        var expected = new float[n];
        MixedOpKernel.Forward(w, inputs, y);
        MixedOpReference.Forward(w, inputs, expected);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-6 * K, $"i={i}: {y[i]} vs {expected[i]}");
        }
        var dw = new float[K];
        var dwExpected = new float[K];
        MixedOpKernel.Backward(w, inputs, expected, new float[]?[K], dw, accumulate: false);
        MixedOpReference.Backward(w, inputs, expected, new float[]?[K], dwExpected, accumulate: false);
        for (int j = 0; j < K; j++)
        {
            Assert.True(Math.Abs(dw[j] - dwExpected[j]) <= 1e-5 * Math.Abs(dwExpected[j]) + 1e-3);
        }
    }

    /// <summary>Segments starting inside larger arrays (as tensor storage hands them over) read and write only their
    /// own elements, and give exactly what the same data in whole arrays gives.</summary>
    [Theory]
    [InlineData(1000, 3)]
    [InlineData(40_000, 5)]
    public void Segments_at_an_offset_give_the_whole_array_results(int n, int offset)
    {
        var random = new Random(21);
        const int K = 4;
        var inputs = Enumerable.Range(0, K).Select(_ => TestData.Uniform(random, n)).ToArray();
        var w = TestData.Uniform(random, K, 0f, 1f);
        var dy = TestData.Uniform(random, n);
        var y = new float[n];
        var dx = Enumerable.Range(0, K).Select(j => j == 2 ? null : new float[n]).ToArray();
        var dw = new float[K];
        MixedOpKernel.Forward(w, inputs, y);
        MixedOpKernel.Backward(w, inputs, dy, dx, dw, accumulate: false);

        const float Guard = 12345f;
        var shifted = inputs.Select(a => Shift(a, offset, Guard)).ToArray();
        var dxShifted = Enumerable.Range(0, K).Select(j => j == 2 ? default : Shift(new float[n], offset, Guard))
            .ToArray();
        var ySegment = new float[n];
        var dwSegment = new float[K];
        MixedOpKernel.Forward(w, shifted, ySegment);
        MixedOpKernel.Backward(w, shifted, dy, dxShifted, dwSegment, accumulate: false);

        Assert.Equal(y, ySegment);
        Assert.Equal(dw, dwSegment);
        for (int j = 0; j < K; j++)
        {
            if (dx[j] is { } expected)
            {
                var got = dxShifted[j];
                Assert.Equal(expected, got.ToArray());
                Assert.All(got.Array![..offset], v => Assert.Equal(Guard, v));
                Assert.All(got.Array![(offset + n)..], v => Assert.Equal(Guard, v));
            }
        }
    }

    /// <summary><paramref name="data"/> copied into a larger array at <paramref name="offset"/>, guards around it.
    /// </summary>
    internal static ArraySegment<float> Shift(float[] data, int offset, float guard)
    {
        var array = new float[offset + data.Length + 7];
        Array.Fill(array, guard);
        data.CopyTo(array, offset);
        return new ArraySegment<float>(array, offset, data.Length);
    }

    [Fact]
    public void Mismatched_counts_and_short_arrays_are_rejected()
    {
        var x = new[] { new float[4], new float[4] };
        Assert.Throws<ArgumentException>(() => MixedOpKernel.Forward(new float[3], x, new float[4]));
        Assert.Throws<ArgumentException>(() => MixedOpKernel.Forward(new float[2], x, new float[5]));
        Assert.Throws<ArgumentException>(() =>
            MixedOpKernel.Backward(new float[2], x, new float[4], new float[]?[] { null, new float[3] }, new float[2],
                accumulate: false));
        Assert.Throws<ArgumentException>(() =>
            MixedOpKernel.Backward(new float[2], x, new float[4], new float[]?[2], new float[1], accumulate: false));
    }
}

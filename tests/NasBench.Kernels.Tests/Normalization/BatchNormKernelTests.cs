using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Normalization;

public class BatchNormKernelTests
{
    private const float Momentum = 0.1f, Eps = 1e-5f;

    /// <summary>Batch 1 and 3, planes of 1 (count 1 for the unbiased variance), odd sizes, one larger than a float
    /// block; short planes whose batch spans several float blocks (45 × 7×7, 30 × 14×14: planes share accumulators
    /// within a block); data around 0 and around 1000 ± 1; affine or not; with and without running statistics.
    /// </summary>
    public static TheoryData<int, int, int, float, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, float, bool, bool>();
        int[][] shapes =
            [[1, 1, 1], [3, 2, 1], [1, 3, 35], [3, 5, 7], [2, 4, 1031], [8, 3, 49], [45, 2, 49], [30, 2, 196]];
        foreach (int[] s in shapes)
        foreach (float offset in new[] { 0f, 1000f })
        foreach (bool affine in new[] { false, true })
        foreach (bool running in new[] { false, true })
        {
            data.Add(s[0], s[1], s[2], offset, affine, running);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardTraining_matches_reference(int batch, int channels, int planeSize, float offset, bool affine,
        bool running)
    {
        int total = batch * channels * planeSize;
        var x = Random(total, 1, offset, 1f);
        var (gamma, beta) = affine ? (Random(channels, 2, 1f, 0.5f), Random(channels, 3, 0f, 1f)) : ([], []);
        var (y, mean, invStd) = (new float[total], new float[channels], new float[channels]);
        var (yRef, meanRef, invStdRef) = (new float[total], new float[channels], new float[channels]);
        var (rm, rv) = running ? (Random(channels, 4, 0f, 1f), Random(channels, 5, 2f, 0.5f)) : ([], []);
        var (rmRef, rvRef) = ((float[])rm.Clone(), (float[])rv.Clone());
        BatchNormKernel.ForwardTraining(batch, channels, planeSize, x, gamma, beta, y, mean, invStd, rm, rv, Momentum,
            Eps);
        BatchNormReference.ForwardTraining(batch, channels, planeSize, x, gamma, beta, yRef, meanRef, invStdRef, rmRef,
            rvRef, Momentum, Eps);
        // y is O(1) whatever the offset: a cancelling x·scale + shift in float would be off by ~1e-4 at offset 1000.
        AssertClose(yRef, y, 1e-5f, "y");
        AssertClose(meanRef, mean, 1e-6f, "mean");
        AssertClose(invStdRef, invStd, 1e-5f, "invStd");
        AssertClose(rmRef, rm, 1e-6f, "runningMean");
        AssertClose(rvRef, rv, 1e-5f, "runningVar");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardWithStatistics_replays_a_training_forward_bit_for_bit(int batch, int channels, int planeSize,
        float offset, bool affine, bool running)
    {
        if (batch * planeSize <= 1)
        {
            return; // no batch statistics to record
        }
        int total = batch * channels * planeSize;
        var x = Random(total, 21, offset, 1f);
        var (gamma, beta) = affine ? (Random(channels, 22, 1f, 0.5f), Random(channels, 23, 0f, 1f)) : ([], []);
        var (rm, rv) = running ? (Random(channels, 24, 0f, 1f), Random(channels, 25, 2f, 0.5f)) : ([], []);
        var (y, mean, invStd) = (new float[total], new float[channels], new float[channels]);
        var statistics = new BatchNormChannelStatistics[channels];
        BatchNormKernel.ForwardTraining(batch, channels, planeSize, x, gamma, beta, y, mean, invStd, rm, rv, Momentum,
            Eps, statistics);
        var (rmAfter, rvAfter) = ((float[])rm.Clone(), (float[])rv.Clone());
        var (y2, mean2, invStd2) = (new float[total], new float[channels], new float[channels]);
        BatchNormKernel.ForwardWithStatistics(batch, channels, planeSize, x, gamma, beta, statistics, y2, mean2,
            invStd2);
        Assert.Equal(y, y2);
        Assert.Equal(mean, mean2);
        Assert.Equal(invStd, invStd2);
        // The replay leaves running statistics alone (it takes none) and the recording did not change the forward.
        Assert.Equal(rmAfter, rm);
        Assert.Equal(rvAfter, rv);
        var yPlain = new float[total];
        BatchNormKernel.ForwardTraining(batch, channels, planeSize, x, gamma, beta, yPlain, new float[channels],
            new float[channels], [], [], Momentum, Eps);
        Assert.Equal(yPlain, y);
    }

    [Fact]
    public void ForwardWithStatistics_normalises_with_the_given_statistics_not_the_batchs()
    {
        // Recorded on one batch, replayed on that batch shifted by 3: a fresh training forward would give the same y
        // (the mean moves with the data); the replay must give y + 3·invStd instead.
        const int Batch = 4, Channels = 3, Plane = 25, Total = Batch * Channels * Plane;
        var x = Random(Total, 26, 0f, 1f);
        var statistics = new BatchNormChannelStatistics[Channels];
        var (y, mean, invStd) = (new float[Total], new float[Channels], new float[Channels]);
        BatchNormKernel.ForwardTraining(Batch, Channels, Plane, x, [], [], y, mean, invStd, [], [], Momentum, Eps,
            statistics);
        var shifted = x.Select(v => v + 3f).ToArray();
        var replayed = new float[Total];
        BatchNormKernel.ForwardWithStatistics(Batch, Channels, Plane, shifted, [], [], statistics, replayed,
            new float[Channels], new float[Channels]);
        for (int i = 0; i < Total; i++)
        {
            int c = i / Plane % Channels;
            Assert.Equal(y[i] + (3f * invStd[c]), replayed[i], 1e-4f);
        }
    }

    [Fact]
    public void ForwardWithStatistics_rejects_too_few_statistics()
    {
        var ex = Assert.Throws<ArgumentException>(() => BatchNormKernel.ForwardWithStatistics(2, 3, 4, new float[24],
            [], [], new BatchNormChannelStatistics[2], new float[24], new float[3], new float[3]));
        Assert.Contains("statistics holds 2 elements, 3 needed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardInference_matches_reference(int batch, int channels, int planeSize, float offset, bool affine,
        bool unused)
    {
        _ = unused;
        int total = batch * channels * planeSize;
        var x = Random(total, 6, offset, 1f);
        var (gamma, beta) = affine ? (Random(channels, 7, 1f, 0.5f), Random(channels, 8, 0f, 1f)) : ([], []);
        var rm = Random(channels, 9, offset, 0.1f);
        var rv = Random(channels, 10, 1f, 0.5f);
        var (y, yRef) = (new float[total], new float[total]);
        BatchNormKernel.ForwardInference(batch, channels, planeSize, x, gamma, beta, rm, rv, Eps, y);
        BatchNormReference.ForwardInference(batch, channels, planeSize, x, gamma, beta, rm, rv, Eps, yRef);
        AssertClose(yRef, y, 1e-5f, "y");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_reference(int batch, int channels, int planeSize, float offset, bool affine,
        bool accumulate)
    {
        int total = batch * channels * planeSize;
        var x = Random(total, 11, offset, 1f);
        var dy = Random(total, 12, 0.3f, 1f);
        float[] gamma = affine ? Random(channels, 13, 1f, 0.5f) : [];
        var (y, mean, invStd) = (new float[total], new float[channels], new float[channels]);
        BatchNormReference.ForwardTraining(batch, channels, planeSize, x, gamma, [], y, mean, invStd, [], [], Momentum,
            Eps);
        var dx = Random(total, 14, 0f, 1f);
        var dxRef = (float[])dx.Clone();
        var (dGamma, dBeta) = (new float[channels], new float[channels]);
        var (dGammaRef, dBetaRef) = (new float[channels], new float[channels]);
        BatchNormKernel.Backward(batch, channels, planeSize, x, dy, gamma, mean, invStd, dx, dGamma, dBeta, accumulate);
        BatchNormReference.Backward(batch, channels, planeSize, x, dy, gamma, mean, invStd, dxRef, dGammaRef, dBetaRef,
            accumulate);
        // dx is a difference of O(|dy|) terms; its error scales with invStd·|dy|, not with |dx|.
        float scale = MaxAbs(dxRef) + MaxAbs(dy) * invStd.Max();
        AssertClose(dxRef, dx, 2e-5f * scale, "dx", absolute: true);
        AssertClose(dGammaRef, dGamma, 1e-5f * MathF.Sqrt(batch * planeSize), "dGamma", absolute: true);
        AssertClose(dBetaRef, dBeta, 1e-5f * MathF.Sqrt(batch * planeSize), "dBeta", absolute: true);

        // Empty dGamma/dBeta are allowed and leave dx unchanged.
        var dxNoParams = Random(total, 14, 0f, 1f);
        BatchNormKernel.Backward(batch, channels, planeSize, x, dy, gamma, mean, invStd, dxNoParams, [], [],
            accumulate);
        Assert.Equal(dx, dxNoParams);
    }

    [Fact]
    public void Data_far_from_zero_keeps_float_precision()
    {
        // 1e4 ± 0.01: the naive E[x²] − E[x]² in float would lose every digit of the variance, and even the
        // reference's one-pass double sums are off by about 1 % here, so the oracle is a two-pass double computation.
        const int batch = 4, channels = 2, planeSize = 300;
        var x = Random(batch * channels * planeSize, 15, 10_000f, 0.01f);
        var (y, mean, invStd) = (new float[x.Length], new float[channels], new float[channels]);
        BatchNormKernel.ForwardTraining(batch, channels, planeSize, x, [], [], y, mean, invStd, [], [], Momentum, 0f);
        for (int c = 0; c < channels; c++)
        {
            var values = Enumerable.Range(0, batch)
                .SelectMany(n => x.Skip(((n * channels) + c) * planeSize).Take(planeSize))
                .Select(v => (double)v).ToArray();
            double m = values.Average();
            double invStdExact = 1 / Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / values.Length);
            Assert.True(Math.Abs(invStd[c] - invStdExact) <= 1e-5 * invStdExact,
                $"invStd[{c}]: exact {invStdExact}, got {invStd[c]}.");
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < planeSize; i++)
            {
                int j = (((n * channels) + c) * planeSize) + i;
                double exact = (x[j] - m) * invStdExact;
                Assert.True(Math.Abs(y[j] - exact) <= 1e-4, $"y[{j}]: exact {exact}, got {y[j]}.");
            }
        }
    }

    [Fact]
    public void One_and_two_threads_give_identical_bits()
    {
        // 4 × 32 channels × 28²: 3136 values per channel, so forward and backward split into several chunks.
        const int batch = 4, channels = 32, planeSize = 784;
        int total = batch * channels * planeSize;
        var x = Random(total, 16, 3f, 2f);
        var dy = Random(total, 17, 0f, 1f);
        var gamma = Random(channels, 18, 1f, 0.5f);
        var beta = Random(channels, 19, 0f, 1f);
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var (y, mean, invStd) = (new float[total], new float[channels], new float[channels]);
            var (rm, rv) = (new float[channels], Enumerable.Repeat(1f, channels).ToArray());
            BatchNormKernel.ForwardTraining(batch, channels, planeSize, x, gamma, beta, y, mean, invStd, rm, rv,
                Momentum, Eps);
            var yInf = new float[total];
            BatchNormKernel.ForwardInference(batch, channels, planeSize, x, gamma, beta, rm, rv, Eps, yInf);
            var (dx, dGamma, dBeta) = (new float[total], new float[channels], new float[channels]);
            BatchNormKernel.Backward(batch, channels, planeSize, x, dy, gamma, mean, invStd, dx, dGamma, dBeta, false);
            return [y, mean, invStd, rm, rv, yInf, dx, dGamma, dBeta];
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }
    }

    [Fact]
    public void Bad_sizes_throw_ArgumentException()
    {
        var x = new float[24];
        var y = new float[24];
        var c3 = new float[3];
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardTraining(2, 0, 4, x, [], [], y, c3, c3, [], [], Momentum, Eps));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardTraining(2, 3, 4, x.AsSpan(1), [], [], y, c3, c3, [], [], Momentum, Eps));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardTraining(2, 3, 4, x, new float[2], [], y, c3, c3, [], [], Momentum, Eps));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardTraining(2, 3, 4, x, [], [], y, c3, c3, c3, [], Momentum, Eps));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardInference(2, 3, 4, x, [], [], [], c3, Eps, y));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.Backward(2, 3, 4, x, y.AsSpan(2), [], c3, c3, new float[24], [], [], false));
        Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.Backward(2, 3, 4, x, y, [], c3, c3, new float[24], new float[1], [], false));
    }

    private static float[] Random(int length, int seed, float center, float spread)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = center + (float)(((rng.NextDouble() * 2) - 1) * spread);
        }
        return a;
    }

    private static float MaxAbs(float[] a) => a.Length == 0 ? 0f : a.Max(MathF.Abs);

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what,
        bool absolute = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float bound = absolute ? tolerance : tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (bound {bound}).");
        }
    }
}

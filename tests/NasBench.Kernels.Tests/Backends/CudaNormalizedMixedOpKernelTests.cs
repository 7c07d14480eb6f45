using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cuda;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Backends;

/// <summary><see cref="CudaNormalizedMixedOpKernel"/> on CUDA device 0 against <see cref="NormalizedMixedOpReference"/>
/// (double sums): every shape mixes the three candidate kinds (batch statistics, constant statistics, identity), at
/// offsets 0 and 50. Skipped, with the probe's reason, where no device is found.</summary>
/// <remarks>Shapes straddle the warp, block and per-thread chunk sizes: planes of 1, 5, 35, 49 and 1031; channels of
/// 9·1031 and 32·1024 elements are split over several reduction blocks (unequal parts in the first), and a thread
/// folds more than one float chunk into its double sums.</remarks>
public sealed class CudaNormalizedMixedOpKernelTests
{
    private const float NormEps = 1e-5f;

    // Extra floats past N·C·plane in every device buffer, as pooled buffers have: the kernels must not touch them.
    private const int Slack = 5;

    // Fills the slack, the variance of candidates the forward must not write, and dWeights before the backward.
    private const float Sentinel = -12345f;

    private static readonly Lazy<CudaDevice> Device = new(() => CudaDevice.Get(0));

    private static readonly int[][] Shapes = [[2, 1, 1], [2, 3, 5], [3, 2, 35], [4, 5, 49], [2, 4, 1031], [9, 2, 1031],
        [32, 2, 1024]];

    private static CudaDevice Gpu => Device.Value;

    private static IEnumerable<(int Batch, int Channels, int Plane, int K, float Offset)> Cases()
    {
        foreach (int[] s in Shapes)
        foreach (int k in new[] { 1, 3, 7, CudaNormalizedMixedOpKernel.MaxOps })
        foreach (float offset in new[] { 0f, 50f })
        {
            yield return (s[0], s[1], s[2], k, offset);
        }
    }

    [GpuFact]
    public void Forward_matches_reference()
    {
        using var kernel = new CudaNormalizedMixedOpKernel(Gpu);
        foreach (var (batch, channels, plane, k, offset) in Cases())
        {
            string at = $"N={batch} C={channels} plane={plane} K={k} offset={offset}";
            var p = Problem.Create(batch, channels, plane, k, offset, seed: 1);
            var (yRef, meanRef, invStdRef, varianceRef) = p.Outputs();
            NormalizedMixedOpReference.Forward(batch, channels, plane, p.Weights, p.Inputs, p.BatchStats, p.Eps,
                meanRef, invStdRef, varianceRef, yRef);
            var (y, mean, invStd, variance) = p.Outputs();
            RunForward(kernel, p, y, mean, invStd, variance);

            AssertClose(meanRef, mean, 1e-6f, $"mean, {at}");
            AssertClose(varianceRef, variance, 2e-5f, $"variance, {at}");
            AssertClose(invStdRef, invStd, 2e-5f, $"invStd, {at}");
            AssertClose(yRef, y, 2e-5f * k, $"y, {at}");
            Assert.All(y.AsSpan(p.Total).ToArray(), v => Assert.Equal(Sentinel, v));
        }
    }

    /// <summary>Constant-statistics and identity candidates read μ and σ: their [K, C] entries, and every variance
    /// entry that is not a batch-statistics candidate's, come back exactly as uploaded.</summary>
    [GpuFact]
    public void Forward_writes_statistics_only_for_batch_statistics_candidates()
    {
        using var kernel = new CudaNormalizedMixedOpKernel(Gpu);
        const int batch = 3, channels = 4, plane = 9, k = 6;
        var p = Problem.Create(batch, channels, plane, k, 5f, seed: 3);
        var (y, mean, invStd, variance) = p.Outputs();
        float[] meanIn = (float[])mean.Clone(), invStdIn = (float[])invStd.Clone();
        RunForward(kernel, p, y, mean, invStd, variance);
        for (int j = 0; j < k; j++)
        {
            for (int c = 0; c < channels; c++)
            {
                int i = (j * channels) + c;
                if (p.BatchStats[j])
                {
                    Assert.NotEqual(Sentinel, variance[i]);
                    Assert.NotEqual(meanIn[i], mean[i]);
                }
                else
                {
                    Assert.Equal(Sentinel, variance[i]);
                    Assert.Equal(meanIn[i], mean[i]);
                    Assert.Equal(invStdIn[i], invStd[i]);
                }
            }
        }
    }

    [GpuFact]
    public void Backward_matches_reference()
    {
        using var kernel = new CudaNormalizedMixedOpKernel(Gpu);
        foreach (var (batch, channels, plane, k, offset) in Cases())
        {
            string at = $"N={batch} C={channels} plane={plane} K={k} offset={offset}";
            var p = Problem.Create(batch, channels, plane, k, offset, seed: 2);
            var (y, mean, invStd, variance) = p.Outputs();
            NormalizedMixedOpReference.Forward(batch, channels, plane, p.Weights, p.Inputs, p.BatchStats, p.Eps,
                mean, invStd, variance, y);
            float[] dy = Uniform(p.Total, 3, -1f, 1f);
            // Candidate 1 wants no gradient; odd candidates accumulate into existing values.
            float[]?[] dx = Enumerable.Range(0, k).Select(j => j == 1 ? null : Uniform(p.Total, 10 + j, -1f, 1f))
                .ToArray();
            float[]?[] dxRef = dx.Select(a => (float[]?)a?.Clone()).ToArray();
            bool[] accumulate = Enumerable.Range(0, k).Select(j => j % 2 == 1).ToArray();
            var dwRef = new float[k];
            NormalizedMixedOpReference.Backward(batch, channels, plane, p.Weights, p.Inputs, p.BatchStats, mean,
                invStd, dy, dxRef, accumulate, dwRef);
            float[] dw = RunBackward(kernel, p, mean, invStd, dy, dx, accumulate);

            float sigma = invStd.Max();
            for (int j = 0; j < k; j++)
            {
                if (dx[j] is { } got)
                {
                    // A difference of O(w·σ·|dy|) terms: the error scales with that, not with |dx|.
                    AssertClose(dxRef[j]!, got, 2e-5f * (1 + sigma), $"dx[{j}], {at}", absolute: true);
                }
            }
            AssertClose(dwRef, dw, 1e-5f * MathF.Sqrt(p.Total) * (1 + sigma), $"dWeights, {at}", absolute: true);
        }
    }

    /// <summary>With no input gradient wanted the dx pass is skipped, but dWeights are still all written.</summary>
    [GpuFact]
    public void Backward_without_input_gradients_still_writes_weight_gradients()
    {
        using var kernel = new CudaNormalizedMixedOpKernel(Gpu);
        const int batch = 4, channels = 3, plane = 49, k = 7;
        var p = Problem.Create(batch, channels, plane, k, 50f, seed: 5);
        var (y, mean, invStd, variance) = p.Outputs();
        NormalizedMixedOpReference.Forward(batch, channels, plane, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        float[] dy = Uniform(p.Total, 6, -1f, 1f);
        var dwRef = new float[k];
        NormalizedMixedOpReference.Backward(batch, channels, plane, p.Weights, p.Inputs, p.BatchStats, mean, invStd,
            dy, new float[]?[k], new bool[k], dwRef);
        float[] dw = RunBackward(kernel, p, mean, invStd, dy, new float[]?[k], new bool[k]);
        AssertClose(dwRef, dw, 1e-5f * MathF.Sqrt(p.Total) * (1 + invStd.Max()), "dWeights", absolute: true);
    }

    [GpuFact]
    public void Bad_arguments_throw_ArgumentException_naming_the_problem()
    {
        using var kernel = new CudaNormalizedMixedOpKernel(Gpu);
        const int batch = 2, channels = 3, plane = 4;
        int total = batch * channels * plane;
        using CudaBuffer<float> x = Gpu.Allocate<float>(total), shortX = Gpu.Allocate<float>(total - 1);
        using CudaBuffer<float> stats = Gpu.Allocate<float>(CudaNormalizedMixedOpKernel.MaxOps * channels);
        using CudaBuffer<float> y = Gpu.Allocate<float>(total), dw = Gpu.Allocate<float>(2);
        using CudaBuffer<float> shortStats = Gpu.Allocate<float>((2 * channels) - 1);
        CudaBuffer<float>[] two = [x, x];
        float[] w2 = [0.5f, 0.5f], eps2 = [NormEps, NormEps];
        bool[] flags2 = [true, false];

        var tooMany = Enumerable.Repeat(x, CudaNormalizedMixedOpKernel.MaxOps + 1).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane,
            new float[tooMany.Length], tooMany, new bool[tooMany.Length], new float[tooMany.Length], stats, stats,
            stats, y));
        Assert.Contains("got 17", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, [], [], [], [], stats, stats,
            stats, y));
        ex = Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, w2, [x, shortX], flags2,
            eps2, stats, stats, stats, y));
        Assert.Contains("Input 1 holds 23 floats", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, w2, two, flags2, eps2,
            shortStats, stats, stats, y));
        Assert.Equal("mean", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, w2, two, flags2, [NormEps],
            stats, stats, stats, y));
        Assert.Equal("eps", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, w2, two, flags2, eps2,
            stats, stats, stats, shortX));
        Assert.Equal("output", ex.ParamName);
        Assert.Throws<ArgumentException>(() => kernel.Forward(batch, channels, plane, [0.5f], two, flags2, eps2,
            stats, stats, stats, y));

        Assert.Throws<ArgumentException>(() => kernel.Backward(batch, channels, plane, w2, two, flags2, stats, stats,
            shortX, [null, null], new bool[2], dw));
        Assert.Throws<ArgumentException>(() => kernel.Backward(batch, channels, plane, w2, two, flags2, stats, stats,
            y, [null], new bool[2], dw));
        ex = Assert.Throws<ArgumentException>(() => kernel.Backward(batch, channels, plane, w2, two, flags2, stats,
            stats, y, [shortX, null], new bool[2], dw));
        Assert.Contains("Input gradient 0", ex.Message, StringComparison.Ordinal);
    }

    private static void RunForward(CudaNormalizedMixedOpKernel kernel, Problem p, float[] y, float[] mean,
        float[] invStd, float[] variance)
    {
        CudaBuffer<float>[] x = p.Inputs.Select(a => Gpu.Upload<float>(WithSlack(a))).ToArray();
        try
        {
            using CudaBuffer<float> yb = Gpu.Upload<float>(y), mb = Gpu.Upload<float>(mean);
            using CudaBuffer<float> sb = Gpu.Upload<float>(invStd), vb = Gpu.Upload<float>(variance);
            kernel.Forward(p.Batch, p.Channels, p.Plane, p.Weights, x, p.BatchStats, p.Eps, mb, sb, vb, yb);
            yb.CopyTo(y);
            mb.CopyTo(mean);
            sb.CopyTo(invStd);
            vb.CopyTo(variance);
        }
        finally
        {
            DisposeAll(x);
        }
    }

    /// <summary>Runs the CUDA backward in place on <paramref name="dx"/> (each non-null array holds N·C·plane +
    /// <see cref="Slack"/> values on return; the slack is checked untouched) and returns dWeights.</summary>
    private static float[] RunBackward(CudaNormalizedMixedOpKernel kernel, Problem p, float[] mean, float[] invStd,
        float[] dy, float[]?[] dx, bool[] accumulate)
    {
        CudaBuffer<float>[] x = p.Inputs.Select(a => Gpu.Upload<float>(WithSlack(a))).ToArray();
        CudaBuffer<float>?[] dxb = dx.Select(a => a is null ? null : Gpu.Upload<float>(WithSlack(a))).ToArray();
        try
        {
            using CudaBuffer<float> mb = Gpu.Upload<float>(mean), sb = Gpu.Upload<float>(invStd);
            using CudaBuffer<float> gb = Gpu.Upload<float>(WithSlack(dy));
            using CudaBuffer<float> dwb = Gpu.Upload<float>(Enumerable.Repeat(Sentinel, p.K).ToArray());
            kernel.Backward(p.Batch, p.Channels, p.Plane, p.Weights, x, p.BatchStats, mb, sb, gb, dxb, accumulate,
                dwb);
            for (int j = 0; j < dx.Length; j++)
            {
                if (dxb[j] is { } b)
                {
                    float[] back = b.ToArray();
                    Assert.All(back.AsSpan(p.Total).ToArray(), v => Assert.Equal(Sentinel, v));
                    back.AsSpan(0, p.Total).CopyTo(dx[j]);
                }
            }
            return dwb.ToArray();
        }
        finally
        {
            DisposeAll(x);
            DisposeAll(dxb);
        }
    }

    private static float[] WithSlack(float[] data) => [.. data, .. Enumerable.Repeat(Sentinel, Slack)];

    private static void DisposeAll(IEnumerable<CudaBuffer<float>?> buffers)
    {
        foreach (CudaBuffer<float>? buffer in buffers)
        {
            buffer?.Dispose();
        }
    }

    private static float[] Uniform(int length, int seed, float low, float high) =>
        SearchHotPaths.TestData.Uniform(new Random(seed), length, low, high);

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what,
        bool absolute = false)
    {
        Assert.True(actual.Length >= expected.Length, $"{what}: {actual.Length} values, {expected.Length} expected.");
        for (int i = 0; i < expected.Length; i++)
        {
            float bound = absolute ? tolerance : tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (bound {bound}).");
        }
    }

    /// <summary>K candidates [N, C, plane] around <c>offset</c> with spreads that differ per candidate, weights in
    /// [0.05, 0.4], and kinds cycling batch statistics / constant statistics / identity (as the CPU kernel's tests).
    /// </summary>
    private sealed record Problem(int Batch, int Channels, int Plane, int K, float[] Weights, float[][] Inputs,
        bool[] BatchStats, float[] Eps, float[] ConstantMean, float[] ConstantInvStd)
    {
        public int Total => Batch * Channels * Plane;

        public static Problem Create(int batch, int channels, int plane, int k, float offset, int seed)
        {
            int total = batch * channels * plane;
            float[][] inputs = Enumerable.Range(0, k)
                .Select(j => Uniform(total, (seed * 100) + j, offset - 1f - (j % 7), offset + 1f + (j % 7)))
                .ToArray();
            float[] weights = Uniform(k, (seed * 100) + 50, 0.05f, 0.4f);
            bool[] batchStats = Enumerable.Range(0, k).Select(j => j % 3 == 0).ToArray();
            float[] eps = Enumerable.Range(0, k).Select(j => j % 3 == 2 ? 0f : NormEps).ToArray();
            float[] constantMean = Uniform(channels, (seed * 100) + 60, offset - 0.5f, offset + 0.5f);
            float[] constantInvStd = Uniform(channels, (seed * 100) + 61, 0.5f, 2f);
            return new Problem(batch, channels, plane, k, weights, inputs, batchStats, eps, constantMean,
                constantInvStd);
        }

        /// <summary>Fresh y (sentinel-filled, with slack), mean, invStd, variance (sentinel-filled); mean/invStd
        /// pre-filled with each kind's constants (0 and 1 for identity candidates).</summary>
        public (float[] Y, float[] Mean, float[] InvStd, float[] Variance) Outputs()
        {
            var mean = new float[K * Channels];
            var invStd = new float[K * Channels];
            for (int j = 0; j < K; j++)
            {
                for (int c = 0; c < Channels; c++)
                {
                    bool identity = j % 3 == 2;
                    mean[(j * Channels) + c] = identity ? 0f : ConstantMean[c];
                    invStd[(j * Channels) + c] = identity ? 1f : ConstantInvStd[c];
                }
            }
            float[] y = Enumerable.Repeat(Sentinel, Total + Slack).ToArray();
            float[] variance = Enumerable.Repeat(Sentinel, K * Channels).ToArray();
            return (y, mean, invStd, variance);
        }
    }
}

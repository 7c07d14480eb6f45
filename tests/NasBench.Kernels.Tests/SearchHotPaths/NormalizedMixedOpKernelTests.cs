using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.SearchHotPaths;

public class NormalizedMixedOpKernelTests
{
    private const float NormEps = 1e-5f;

    /// <summary>Candidate kinds cycle batch statistics (training-mode norm), constant statistics (evaluation-mode
    /// norm) and identity (no norm: μ 0, σ 1), so every shape exercises all three.</summary>
    public static TheoryData<int, int, int, int, float> Cases()
    {
        var data = new TheoryData<int, int, int, int, float>();
        // 45 × 7×7 spans several float blocks on the short-plane path; 2 × 300 takes the image-by-image path.
        int[][] shapes = [[2, 1, 1], [2, 3, 5], [3, 2, 35], [4, 5, 49], [45, 2, 49], [2, 3, 300], [2, 4, 1031]];
        foreach (int[] s in shapes)
        foreach (int k in new[] { 1, 3, 7 })
        foreach (float offset in new[] { 0f, 50f })
        {
            data.Add(s[0], s[1], s[2], k, offset);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_reference(int batch, int channels, int planeSize, int k, float offset)
    {
        var p = Problem.Create(batch, channels, planeSize, k, offset, seed: 1);
        var (y, mean, invStd, variance) = p.Outputs();
        var (yRef, meanRef, invStdRef, varianceRef) = p.Outputs();
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        NormalizedMixedOpReference.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps,
            meanRef, invStdRef, varianceRef, yRef);
        AssertClose(meanRef, mean, 1e-6f * Math.Max(1f, offset), "mean");
        AssertClose(varianceRef, variance, 2e-5f, "variance");
        AssertClose(invStdRef, invStd, 2e-5f, "invStd");
        AssertClose(yRef, y, 2e-5f * k, "y");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_reference(int batch, int channels, int planeSize, int k, float offset)
    {
        var p = Problem.Create(batch, channels, planeSize, k, offset, seed: 2);
        var (y, mean, invStd, variance) = p.Outputs();
        NormalizedMixedOpReference.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        var dy = Uniform(p.Total, 3, -1f, 1f);
        // Candidate 1 wants no gradient; odd candidates accumulate into existing values.
        var dx = Enumerable.Range(0, k).Select(j => j == 1 ? null : Uniform(p.Total, 10 + j, -1f, 1f))
            .ToArray();
        var dxRef = dx.Select(a => (float[]?)a?.Clone()).ToArray();
        var accumulate = Enumerable.Range(0, k).Select(j => j % 2 == 1).ToArray();
        var (dw, dwRef) = (new float[k], new float[k]);
        NormalizedMixedOpKernel.Backward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, mean, invStd,
            dy, dx, accumulate, dw);
        NormalizedMixedOpReference.Backward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, mean,
            invStd, dy, dxRef, accumulate, dwRef);
        float sigma = invStd.Max();
        for (int j = 0; j < k; j++)
        {
            Assert.Equal(dxRef[j] is null, dx[j] is null);
            if (dx[j] is { } got)
            {
                // A difference of O(w·σ·|dy|) terms: the error scales with that, not with |dx|.
                AssertClose(dxRef[j]!, got, 2e-5f * (1 + sigma), $"dx[{j}]", absolute: true);
            }
        }
        AssertClose(dwRef, dw, 1e-5f * MathF.Sqrt(p.Total) * (1 + sigma), "dWeights", absolute: true);
    }

    /// <summary>The reference against an independent oracle: each candidate through the batch-norm reference (or
    /// not), then the plain mixed-op reference. Forward, input gradients and weight gradients.</summary>
    [Fact]
    public void Reference_equals_batch_norm_then_weighted_sum()
    {
        const int batch = 3, channels = 4, planeSize = 25, k = 3;
        var p = Problem.Create(batch, channels, planeSize, k, 2f, seed: 4);
        var (y, mean, invStd, variance) = p.Outputs();
        NormalizedMixedOpReference.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        // Unfused: normalise (training BN for k = 0, inference BN from the given constants for k = 1, none for 2).
        var normalized = new float[k][];
        var saveMean = new float[channels];
        var saveInvStd = new float[channels];
        normalized[0] = new float[p.Total];
        BatchNormReference.ForwardTraining(batch, channels, planeSize, p.Inputs[0], [], [], normalized[0], saveMean,
            saveInvStd, [], [], 0.1f, NormEps);
        normalized[1] = new float[p.Total];
        var runningVar = p.ConstantInvStd.Select(s => (1f / (s * s)) - NormEps).ToArray();
        BatchNormReference.ForwardInference(batch, channels, planeSize, p.Inputs[1], [], [], p.ConstantMean,
            runningVar, NormEps, normalized[1]);
        normalized[2] = p.Inputs[2];
        var yUnfused = new float[p.Total];
        MixedOpReference.Forward(p.Weights, normalized, yUnfused);
        AssertClose(yUnfused, y, 1e-5f, "y");

        var dy = Uniform(p.Total, 5, -1f, 1f);
        var dx = Enumerable.Range(0, k).Select(_ => new float[p.Total]).ToArray<float[]?>();
        var dw = new float[k];
        NormalizedMixedOpReference.Backward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, mean,
            invStd, dy, dx, new bool[k], dw);
        var dNormalized = Enumerable.Range(0, k).Select(_ => new float[p.Total]).ToArray<float[]?>();
        var dwUnfused = new float[k];
        MixedOpReference.Backward(p.Weights, normalized, dy, dNormalized, dwUnfused, false);
        AssertClose(dwUnfused, dw, 1e-4f, "dWeights");
        var dx0 = new float[p.Total];
        BatchNormReference.Backward(batch, channels, planeSize, p.Inputs[0], dNormalized[0]!, [], saveMean,
            saveInvStd, dx0, [], [], false);
        AssertClose(dx0, dx[0]!, 1e-5f, "dx[0] (training norm)");
        for (int i = 0; i < p.Total; i++)
        {
            int c = i / planeSize % channels;
            Assert.Equal(dNormalized[1]![i] * p.ConstantInvStd[c], dx[1]![i], 1e-5f);
        }
        AssertClose(dNormalized[2]!, dx[2]!, 0f, "dx[2] (identity)");
    }

    /// <summary>The addend overload equals the plain forward followed by an element-wise add, bit for bit (the
    /// addend is added last), including the scalar tail of odd planes; statistics are unchanged.</summary>
    [Theory]
    [InlineData(2, 3, 5, 3)]
    [InlineData(3, 2, 35, 7)]
    [InlineData(2, 4, 1031, 7)]
    public void Addend_equals_forward_then_add_bit_for_bit(int batch, int channels, int planeSize, int k)
    {
        var p = Problem.Create(batch, channels, planeSize, k, 1f, seed: 9);
        var addend = Uniform(p.Total, 90, -3f, 3f);
        var (y, mean, invStd, variance) = p.Outputs();
        var (yPlus, meanPlus, invStdPlus, variancePlus) = p.Outputs();
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps,
            meanPlus, invStdPlus, variancePlus, addend, yPlus);
        for (int i = 0; i < p.Total; i++)
        {
            Assert.Equal(addend[i] + y[i], yPlus[i]);
        }
        Assert.Equal(mean, meanPlus);
        Assert.Equal(invStd, invStdPlus);
        Assert.Equal(variance, variancePlus);
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights,
            p.Inputs, p.BatchStats, p.Eps, meanPlus, invStdPlus, variancePlus, addend.AsSpan(1), yPlus));
    }

    /// <summary>Segments starting inside larger arrays (as tensor storage hands them over) give exactly the
    /// whole-array results, and backward writes only inside its gradient segments.</summary>
    [Theory]
    [InlineData(4, 5, 49, 5)]
    [InlineData(2, 3, 300, 11)]
    public void Segments_at_an_offset_give_the_whole_array_results(int batch, int channels, int planeSize, int offset)
    {
        const int K = 3;
        const float Guard = -777f;
        var p = Problem.Create(batch, channels, planeSize, K, 0f, seed: 31);
        var (y, mean, invStd, variance) = p.Outputs();
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, y);
        var shifted = p.Inputs.Select(a => MixedOpKernelTests.Shift(a, offset, Guard)).ToArray();
        var (ySegment, meanSegment, invStdSegment, varianceSegment) = p.Outputs();
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, shifted, p.BatchStats, p.Eps,
            meanSegment, invStdSegment, varianceSegment, [], ySegment);
        Assert.Equal(y, ySegment);
        Assert.Equal(mean, meanSegment);
        Assert.Equal(invStd, invStdSegment);

        var dy = Uniform(p.Total, 33, -1f, 1f);
        var dx = Enumerable.Range(0, K).Select(j => j == 1 ? null : new float[p.Total]).ToArray();
        var dxShifted = Enumerable.Range(0, K)
            .Select(j => j == 1 ? default : MixedOpKernelTests.Shift(new float[p.Total], offset, Guard)).ToArray();
        bool[] accumulate = new bool[K];
        var (dw, dwSegment) = (new float[K], new float[K]);
        NormalizedMixedOpKernel.Backward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, mean, invStd,
            dy, dx, accumulate, dw);
        NormalizedMixedOpKernel.Backward(batch, channels, planeSize, p.Weights, shifted, p.BatchStats, mean, invStd,
            dy, dxShifted, accumulate, dwSegment);
        Assert.Equal(dw, dwSegment);
        for (int j = 0; j < K; j++)
        {
            if (dx[j] is { } expected)
            {
                var got = dxShifted[j];
                Assert.Equal(expected, got.ToArray());
                Assert.All(got.Array![..offset], v => Assert.Equal(Guard, v));
                Assert.All(got.Array![(offset + p.Total)..], v => Assert.Equal(Guard, v));
            }
        }
    }

    /// <summary>Each output is (x_0 − μ_0)·s_0, then fused multiply-adds in candidate order, then the addend, with
    /// s_j = w_j·σ_j: the kernel's vector rows and their scalar tail must give exactly that scalar sequence, for
    /// plane sizes that end on, before and past a vector boundary (the 7×7 and 14×14 planes included), and for 1 to 9
    /// candidates. The backward's x̂ and the recomputation rely on the forward being this function exactly.</summary>
    [Theory]
    [InlineData(3, 2, 49, 7)]
    [InlineData(2, 3, 196, 7)]
    [InlineData(2, 2, 16, 3)]
    [InlineData(2, 2, 5, 1)]
    [InlineData(2, 3, 1031, 8)]
    [InlineData(2, 3, 37, 9)]
    public void Rows_equal_the_scalar_sequence_bit_for_bit(int batch, int channels, int planeSize, int k)
    {
        var p = Problem.Create(batch, channels, planeSize, k, 2f, seed: 11);
        var addend = Uniform(p.Total, 91, -3f, 3f);
        var (y, mean, invStd, variance) = p.Outputs();
        NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps, mean,
            invStd, variance, addend, y);
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < planeSize; i++)
        {
            int at = (((n * channels) + c) * planeSize) + i;
            float acc = (p.Inputs[0][at] - mean[c]) * (p.Weights[0] * invStd[c]);
            for (int j = 1; j < k; j++)
            {
                int jc = (j * channels) + c;
                acc = MathF.FusedMultiplyAdd(p.Inputs[j][at] - mean[jc], p.Weights[j] * invStd[jc], acc);
            }
            Assert.Equal(addend[at] + acc, y[at]);
        }
    }

    [Fact]
    public void One_and_two_threads_give_identical_bits()
    {
        const int batch = 8, channels = 16, planeSize = 784, k = 7;
        var p = Problem.Create(batch, channels, planeSize, k, 1f, seed: 6);
        var dy = Uniform(p.Total, 7, -1f, 1f);
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var (y, mean, invStd, variance) = p.Outputs();
            NormalizedMixedOpKernel.Forward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, p.Eps,
                mean, invStd, variance, y);
            var dx = Enumerable.Range(0, k).Select(_ => new float[p.Total]).ToArray<float[]?>();
            var dw = new float[k];
            NormalizedMixedOpKernel.Backward(batch, channels, planeSize, p.Weights, p.Inputs, p.BatchStats, mean,
                invStd, dy, dx, new bool[k], dw);
            return [y, mean, invStd, variance, dw, .. dx!];
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
        var p = Problem.Create(2, 3, 4, 2, 0f, seed: 8);
        var (y, mean, invStd, variance) = p.Outputs();
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Forward(2, 3, 4, p.Weights.AsSpan(1),
            p.Inputs, p.BatchStats, p.Eps, mean, invStd, variance, y));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Forward(2, 3, 4, p.Weights, p.Inputs,
            p.BatchStats, p.Eps, mean.AsSpan(1), invStd, variance, y));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Forward(2, 3, 5, p.Weights, p.Inputs,
            p.BatchStats, p.Eps, mean, invStd, variance, y));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Forward(2, 3, 4, [], [], [], [], mean, invStd,
            variance, y));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Backward(2, 3, 4, p.Weights, p.Inputs,
            p.BatchStats, mean, invStd, y.AsSpan(1), new float[]?[2], new bool[2], new float[2]));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Backward(2, 3, 4, p.Weights, p.Inputs,
            p.BatchStats, mean, invStd, y, new float[]?[1], new bool[2], new float[2]));
        Assert.Throws<ArgumentException>(() => NormalizedMixedOpKernel.Backward(2, 3, 4, p.Weights, p.Inputs,
            p.BatchStats, mean, invStd, y, [new float[3], null], new bool[2], new float[2]));
    }

    private static float[] Uniform(int length, int seed, float low, float high) =>
        TestData.Uniform(new Random(seed), length, low, high);

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

    /// <summary>K candidates [N, C, plane] around <c>offset</c> with spreads that differ per candidate, softmax-like
    /// weights, and kinds cycling batch statistics / constant statistics / identity.</summary>
    private sealed record Problem(int Total, int K, int Channels, float[] Weights, float[][] Inputs, bool[] BatchStats,
        float[] Eps, float[] ConstantMean, float[] ConstantInvStd)
    {
        public static Problem Create(int batch, int channels, int planeSize, int k, float offset, int seed)
        {
            int total = batch * channels * planeSize;
            var inputs = Enumerable.Range(0, k)
                .Select(j => Uniform(total, seed * 100 + j, offset - 1f - j, offset + 1f + j)).ToArray();
            var weights = Uniform(k, seed * 100 + 50, 0.05f, 0.4f);
            var batchStats = Enumerable.Range(0, k).Select(j => j % 3 == 0).ToArray();
            var eps = Enumerable.Range(0, k).Select(j => j % 3 == 2 ? 0f : NormEps).ToArray();
            var constantMean = Uniform(channels, seed * 100 + 60, offset - 0.5f, offset + 0.5f);
            var constantInvStd = Uniform(channels, seed * 100 + 61, 0.5f, 2f);
            return new Problem(total, k, channels, weights, inputs, batchStats, eps, constantMean, constantInvStd);
        }

        /// <summary>Fresh y, mean, invStd, variance; mean/invStd pre-filled with each kind's constants.</summary>
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
            return (new float[Total], mean, invStd, new float[K * Channels]);
        }
    }
}

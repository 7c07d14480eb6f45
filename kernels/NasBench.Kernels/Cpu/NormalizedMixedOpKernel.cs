using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>The DARTS mixed op with each candidate's final batch norm folded in:
/// <c>y[n,c,·] = Σ_k w_k·(x_k[n,c,·] − μ_k[c])·σ_k[c]</c>, and its backward.</summary>
/// <remarks>
/// Contract as <see cref="NormalizedMixedOpReference"/>: inputs are K tensors [N, C, planeSize]; the per-candidate
/// statistics <c>mean</c>, <c>invStd</c> and <c>variance</c> are laid out [K, C]. For a candidate with
/// <c>batchStatistics[k]</c> the forward computes μ and σ = 1/√(var + eps_k) from x_k (biased variance, written to
/// <c>variance</c>) and the backward includes the statistics' own gradient, exactly a training-mode non-affine batch
/// norm; for any other candidate μ and σ are constants read from the spans (0 and 1 for a candidate without a norm,
/// the running statistics for a norm in evaluation mode).
/// <para>Why: in the search network six of the seven computed candidates end in a non-affine batch norm whose output
/// is only ever read by the weighted sum. Unfused, each norm writes its output, the sum reads it back, and backward
/// writes w_k·dy per candidate for the norm's backward to read twice. Fused, the forward reads each x_k twice (moments,
/// then the sum, the second time mostly from L2 because a thread works one channel at a time) and writes y once; the
/// backward reads dy and x_k for the moments and again for dx_k. That is about half the memory traffic of the edge's
/// last two layers, and the seven normalised outputs are never stored at all.</para>
/// <para>Determinism: threads take fixed chunks of whole channels and every per-channel sum has a fixed order, so
/// results are bit-identical at any thread count; dWeights are summed over channels in double in channel order.</para>
/// </remarks>
public static unsafe class NormalizedMixedOpKernel
{
    private const int StackInputs = 16;

    /// <summary>Planes up to this size (7×7, 14×14) take backward's first pass candidate by candidate over all of a
    /// channel's planes (<see cref="ChannelSums.GradientMoments(float*, float*, int, long, int, float, out double,
    /// out double)"/>); larger ones image by image, keeping each dy run in L1 across the candidates.</summary>
    private const int ShortPlane = 256;

    /// <summary>Forward. For k with <c>batchStatistics[k]</c>, <c>mean[k·C + c]</c>, <c>invStd</c> and
    /// <c>variance</c> (biased) are written; for the other k, mean and invStd are read.</summary>
    /// <exception cref="ArgumentException">Sizes disagree or a span is too short.</exception>
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps, Span<float> mean,
        Span<float> invStd, Span<float> variance, Span<float> output) =>
        Forward(batch, channels, planeSize, weights, FloatSegments.Of(inputs)!, batchStatistics, eps, mean, invStd,
            variance, [], output);

    /// <summary>Forward plus an addend (see the segment overload).</summary>
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps, Span<float> mean,
        Span<float> invStd, Span<float> variance, ReadOnlySpan<float> addend, Span<float> output) =>
        Forward(batch, channels, planeSize, weights, FloatSegments.Of(inputs)!, batchStatistics, eps, mean, invStd,
            variance, addend, output);

    /// <summary>Forward plus an addend: <c>y = addend + Σ_k …</c>, the addend added last, so y equals the sum
    /// without it followed by an element-wise add bit for bit; an empty <paramref name="addend"/> means none.</summary>
    /// <remarks>Why: a cell node sums its edges, so every edge but the first adds the node's running sum to its
    /// mixed op's output. Here the running sum is read while the row is in registers, instead of a separate pass
    /// that writes the edge's output and reads it back.
    /// <para>Inputs are segments (each candidate's first element at its segment's offset), as tensor storage hands
    /// them over; the array overloads wrap whole arrays.</para></remarks>
    /// <exception cref="ArgumentException">Sizes disagree, a span is too short, or a non-empty addend's length is
    /// not the output's.</exception>
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<ArraySegment<float>> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps,
        Span<float> mean, Span<float> invStd, Span<float> variance, ReadOnlySpan<float> addend, Span<float> output)
    {
        NormalizedMixedOpValidation.Forward(batch, channels, planeSize, weights, inputs, batchStatistics, eps,
            mean.Length, invStd.Length, variance.Length, output.Length);
        if (!addend.IsEmpty && addend.Length != output.Length)
        {
            throw new ArgumentException(
                $"NormalizedMixedOp: the addend has {addend.Length} values, the output {output.Length}.",
                nameof(addend));
        }
        int k = inputs.Count;
        int count = batch * planeSize, per = FixedChunks.ItemsPerChunk((long)(k + 1) * count);
        bool[] stats = ArrayPool<bool>.Shared.Rent(k);
        float[] epsilons = ArrayPool<float>.Shared.Rent(k);
        batchStatistics.CopyTo(stats);
        eps.CopyTo(epsilons);
        using var pins = new PinnedArrays(inputs, stackalloc nint[Math.Min(k, StackInputs)],
            stackalloc nint[Math.Min(k, StackInputs)]);
        float[] scales = ArrayPool<float>.Shared.Rent(k * channels);
        fixed (float* wp = weights, mp = mean, sp = invStd, vp = variance, yp = output, scp = scales, ap = addend)
        {
            nint xa = (nint)pins.Pointers, wa = (nint)wp, ma = (nint)mp, sa = (nint)sp, va = (nint)vp;
            nint ya = (nint)yp, sca = (nint)scp, aa = (nint)ap;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                float** x = (float**)xa;
                float* m = (float*)ma, s = (float*)sa, scale = (float*)sca;
                int last = Math.Min(channels, (chunk + 1) * per);
                for (int c = chunk * per; c < last; c++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        int at = (j * channels) + c;
                        if (stats[j])
                        {
                            BatchNormKernel.ChannelMoments(x[j], batch, channels, planeSize, c, out float shift,
                                out double delta, out double var);
                            double mu = shift + delta;
                            m[at] = (float)mu;
                            s[at] = (float)(1.0 / Math.Sqrt(var + epsilons[j]));
                            ((float*)va)[at] = (float)var;
                        }
                        scale[at] = ((float*)wa)[j] * s[at];
                    }
                    for (int n = 0; n < batch; n++)
                    {
                        long offset = (((long)n * channels) + c) * planeSize;
                        CenteredSumRow(x, k, offset, planeSize, scale, m, channels, c,
                            aa == 0 ? null : (float*)aa + offset, (float*)ya + offset);
                    }
                }
            });
        }
        ArrayPool<float>.Shared.Return(scales);
        ArrayPool<float>.Shared.Return(epsilons);
        ArrayPool<bool>.Shared.Return(stats);
    }

    /// <summary>Backward. For each k with <c>dInputs[k] != null</c>, dx_k is written, or added where
    /// <c>accumulate[k]</c>; <c>dWeights[k] = Σ dy·(x_k − μ_k)·σ_k</c> always (overwritten).</summary>
    /// <remarks>Training-mode candidates: dx = w·σ·(dy − mean(dy) − x̂·mean(dy·x̂)) per channel, the batch-norm
    /// backward of dy·w; constant-statistics candidates: dx = w·σ·dy.</remarks>
    /// <exception cref="ArgumentException">Sizes disagree or a span is too short.</exception>
    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> dy, IReadOnlyList<float[]?> dInputs,
        ReadOnlySpan<bool> accumulate, Span<float> dWeights) =>
        Backward(batch, channels, planeSize, weights, FloatSegments.Of(inputs)!, batchStatistics, mean, invStd, dy,
            FloatSegments.Of(dInputs)!, accumulate, dWeights);

    /// <summary>As the array overload, on segments; a gradient segment without an array means no gradient for that
    /// candidate.</summary>
    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<ArraySegment<float>> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> dy, IReadOnlyList<ArraySegment<float>> dInputs,
        ReadOnlySpan<bool> accumulate, Span<float> dWeights)
    {
        NormalizedMixedOpValidation.Backward(batch, channels, planeSize, weights, inputs, batchStatistics, mean.Length,
            invStd.Length, dy.Length, dInputs, accumulate.Length, dWeights.Length);
        int k = inputs.Count;
        int count = batch * planeSize, per = FixedChunks.ItemsPerChunk((long)((2 * k) + 1) * count);
        bool[] flags = ArrayPool<bool>.Shared.Rent(2 * k);
        batchStatistics.CopyTo(flags);
        accumulate.CopyTo(flags.AsSpan(k));
        double[] perChannel = ArrayPool<double>.Shared.Rent(k * channels);
        using var xPins = new PinnedArrays(inputs, stackalloc nint[Math.Min(k, StackInputs)],
            stackalloc nint[Math.Min(k, StackInputs)]);
        using var dxPins = new PinnedArrays(dInputs, stackalloc nint[Math.Min(k, StackInputs)],
            stackalloc nint[Math.Min(k, StackInputs)]);
        fixed (float* wp = weights, mp = mean, sp = invStd, gp = dy)
        fixed (double* pp = perChannel)
        {
            nint xa = (nint)xPins.Pointers, dxa = (nint)dxPins.Pointers, wa = (nint)wp, ma = (nint)mp, sa = (nint)sp;
            nint ga = (nint)gp, pa = (nint)pp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                float** x = (float**)xa, dx = (float**)dxa;
                float* w = (float*)wa, m = (float*)ma, s = (float*)sa, g = (float*)ga;
                double* partial = (double*)pa;
                int last = Math.Min(channels, (chunk + 1) * per);
                Span<double> centred = stackalloc double[k];
                Span<float> a = stackalloc float[k], b = stackalloc float[k], kappa = stackalloc float[k];
                for (int c = chunk * per; c < last; c++)
                {
                    // Pass 1: Σ dy and Σ dy·(x_k − μ_k) for every candidate.
                    double sumDy = 0;
                    centred.Clear();
                    if (planeSize <= ShortPlane)
                    {
                        // Short planes: one strided pass per candidate over all the channel's planes, so the float
                        // accumulators span many planes (the channel's dy, N·planeSize floats, stays in L1/L2).
                        long first = (long)c * planeSize, stride = (long)channels * planeSize;
                        for (int j = 0; j < k; j++)
                        {
                            ChannelSums.GradientMoments(x[j] + first, g + first, batch, stride, planeSize,
                                m[(j * channels) + c], out double s1, out double s2);
                            centred[j] = s2;
                            if (j == 0)
                            {
                                sumDy = s1;
                            }
                        }
                    }
                    else
                    {
                        // Image by image, the candidates inside: each dy run stays in L1 across k.
                        for (int n = 0; n < batch; n++)
                        {
                            long offset = (((long)n * channels) + c) * planeSize;
                            var gRun = new ReadOnlySpan<float>(g + offset, planeSize);
                            for (int j = 0; j < k; j++)
                            {
                                ChannelSums.GradientMoments(new ReadOnlySpan<float>(x[j] + offset, planeSize), gRun,
                                    m[(j * channels) + c], out double s1, out double s2);
                                centred[j] += s2;
                                if (j == 0)
                                {
                                    sumDy += s1;
                                }
                            }
                        }
                    }
                    // Pass 2: dx_k = a·dy + b·(x_k − μ_k) + κ per candidate, the x_k runs mostly from L2 now.
                    for (int j = 0; j < k; j++)
                    {
                        int at = (j * channels) + c;
                        double sigma = s[at];
                        partial[at] = centred[j] * sigma;
                        double aj = w[j] * sigma;
                        a[j] = (float)aj;
                        b[j] = flags[j] ? (float)(-aj * sigma * sigma * centred[j] / count) : 0f;
                        kappa[j] = flags[j] ? (float)(-aj * sumDy / count) : 0f;
                    }
                    for (int n = 0; n < batch; n++)
                    {
                        long offset = (((long)n * channels) + c) * planeSize;
                        var gRun = new ReadOnlySpan<float>(g + offset, planeSize);
                        for (int j = 0; j < k; j++)
                        {
                            if (dx[j] is null)
                            {
                                continue;
                            }
                            BatchNormKernel.BackwardRow(new ReadOnlySpan<float>(x[j] + offset, planeSize), gRun,
                                m[(j * channels) + c], a[j], b[j], kappa[j], new Span<float>(dx[j] + offset, planeSize),
                                flags[k + j]);
                        }
                    }
                }
            });
        }
        for (int j = 0; j < k; j++)
        {
            double total = 0;
            for (int c = 0; c < channels; c++)
            {
                total += perChannel[(j * channels) + c];
            }
            dWeights[j] = (float)total;
        }
        ArrayPool<double>.Shared.Return(perChannel);
        ArrayPool<bool>.Shared.Return(flags);
    }

    /// <summary>y[i] = Σ_k scale[k,c]·(x_k[offset + i] − mean[k,c]): (x_0 − μ_0)·s_0 first, then fused
    /// multiply-adds in k order, the same sequence in every lane and in the tail; then addend[i] + that sum where
    /// <paramref name="addend"/> is not null.</summary>
    private static void CenteredSumRow(float** x, int k, long offset, int length, float* scale, float* mean,
        int channels, int c, float* addend, float* y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - 8; i += 8)
            {
                var acc = (Vector256.Load(x[0] + offset + i) - Vector256.Create(mean[c])) * Vector256.Create(scale[c]);
                for (int j = 1; j < k; j++)
                {
                    int at = (j * channels) + c;
                    acc = Vector256.FusedMultiplyAdd(Vector256.Load(x[j] + offset + i) - Vector256.Create(mean[at]),
                        Vector256.Create(scale[at]), acc);
                }
                if (addend != null)
                {
                    acc = Vector256.Load(addend + i) + acc;
                }
                acc.Store(y + i);
            }
        }
        for (; i < length; i++)
        {
            float acc = (x[0][offset + i] - mean[c]) * scale[c];
            for (int j = 1; j < k; j++)
            {
                int at = (j * channels) + c;
                acc = MathF.FusedMultiplyAdd(x[j][offset + i] - mean[at], scale[at], acc);
            }
            y[i] = addend != null ? addend[i] + acc : acc;
        }
    }
}

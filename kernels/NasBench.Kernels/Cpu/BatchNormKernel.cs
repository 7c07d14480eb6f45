using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Batch norm over NCHW, training and inference, forward and backward.</summary>
/// <remarks>
/// Contract is that of <see cref="BatchNormReference"/>: x, y, dy, dx are [N, C, planeSize]; statistics are per
/// channel over N·planeSize; gamma/beta empty means affine = false; runningMean/runningVar empty means no running
/// statistics; training normalises with the biased variance and feeds the unbiased one into the running variance.
/// Spans may be longer than needed; shorter ones or non-positive sizes throw <see cref="ArgumentException"/>.
/// <para>Numerics: the moments come from shifted data d = x − shift with shift the first image's mean of the channel
/// (Σd, Σd² with the Σd²/n − (Σd/n)² correction; mean = shift + Σd/n), so data far from zero (1000 ± 1) keep their
/// precision with one pass over the channel; normalisation computes
/// ((x − m) − δ)·scale + β with m the float mean and δ its double remainder, never x·scale + shift, which would cancel.
/// Partial sums are float over at most 1024 elements, then double, in an order fixed by the shape. Threads take fixed
/// chunks of whole channels, so results are bit-identical at any thread count.</para>
/// </remarks>
public static unsafe class BatchNormKernel
{
    public static void ForwardTraining(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> saveMean, Span<float> saveInvStd,
        Span<float> runningMean, Span<float> runningVar, float momentum, float eps) =>
        ForwardTraining(batch, channels, planeSize, x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar,
            momentum, eps, Span<BatchNormChannelStatistics>.Empty);

    /// <summary>Training-mode forward that also writes each channel's <see cref="BatchNormChannelStatistics"/> into
    /// <paramref name="statistics"/> (empty: not recorded), for <see cref="ForwardWithStatistics"/> to replay.</summary>
    public static void ForwardTraining(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> saveMean, Span<float> saveInvStd,
        Span<float> runningMean, Span<float> runningVar, float momentum, float eps,
        Span<BatchNormChannelStatistics> statistics)
    {
        Check(batch, channels, planeSize, x.Length, y.Length, gamma.Length, beta.Length);
        CheckPerChannel(channels, saveMean.Length, nameof(saveMean), optional: false);
        CheckPerChannel(channels, saveInvStd.Length, nameof(saveInvStd), optional: false);
        CheckPerChannel(channels, runningMean.Length, nameof(runningMean), optional: true);
        CheckPerChannel(channels, runningVar.Length, nameof(runningVar), optional: runningMean.IsEmpty);
        CheckPerChannel(channels, statistics.Length, nameof(statistics), optional: true);
        int count = batch * planeSize, per = FixedChunks.ItemsPerChunk(count);
        bool affine = !gamma.IsEmpty, shifted = !beta.IsEmpty, running = !runningMean.IsEmpty;
        bool record = !statistics.IsEmpty;
        fixed (float* xp = x, yp = y, gp = gamma, bp = beta, mp = saveMean, sp = saveInvStd, rmp = runningMean,
            rvp = runningVar)
        fixed (BatchNormChannelStatistics* stp = statistics)
        {
            nint xa = (nint)xp, ya = (nint)yp, ga = (nint)gp, ba = (nint)bp, ma = (nint)mp, sa = (nint)sp;
            nint rma = (nint)rmp, rva = (nint)rvp, sta = (nint)stp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int last = Math.Min(channels, (chunk + 1) * per);
                for (int c = chunk * per; c < last; c++)
                {
                    ChannelMoments((float*)xa, batch, channels, planeSize, c, out float shift, out double delta,
                        out double variance);
                    var statistics = new BatchNormChannelStatistics(shift, delta, 1.0 / Math.Sqrt(variance + eps));
                    if (record)
                    {
                        ((BatchNormChannelStatistics*)sta)[c] = statistics;
                    }
                    if (running)
                    {
                        UpdateRunning(ref ((float*)rma)[c], ref ((float*)rva)[c], shift + delta, variance, count,
                            momentum);
                    }
                    NormalizeChannel(xa, ya, batch, channels, planeSize, c, statistics, affine ? (float*)ga : null,
                        shifted ? (float*)ba : null, (float*)ma, (float*)sa);
                }
            });
        }
    }

    /// <summary>The training-mode forward of a batch whose statistics a <see cref="ForwardTraining(int, int, int,
    /// ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float},
    /// Span{float}, Span{float}, float, float, Span{BatchNormChannelStatistics})"/> already recorded: the same y,
    /// saveMean and saveInvStd bit for bit, without the moments pass, and no running-statistics update.</summary>
    /// <remarks>Only valid for the very batch the statistics came from (activation recomputation); for any other
    /// input it normalises with the wrong statistics.</remarks>
    public static void ForwardWithStatistics(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<BatchNormChannelStatistics> statistics,
        Span<float> y, Span<float> saveMean, Span<float> saveInvStd)
    {
        Check(batch, channels, planeSize, x.Length, y.Length, gamma.Length, beta.Length);
        CheckPerChannel(channels, statistics.Length, nameof(statistics), optional: false);
        CheckPerChannel(channels, saveMean.Length, nameof(saveMean), optional: false);
        CheckPerChannel(channels, saveInvStd.Length, nameof(saveInvStd), optional: false);
        int per = FixedChunks.ItemsPerChunk(batch * planeSize);
        bool affine = !gamma.IsEmpty, shifted = !beta.IsEmpty;
        fixed (float* xp = x, yp = y, gp = gamma, bp = beta, mp = saveMean, sp = saveInvStd)
        fixed (BatchNormChannelStatistics* stp = statistics)
        {
            nint xa = (nint)xp, ya = (nint)yp, ga = (nint)gp, ba = (nint)bp, ma = (nint)mp, sa = (nint)sp;
            nint sta = (nint)stp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int last = Math.Min(channels, (chunk + 1) * per);
                for (int c = chunk * per; c < last; c++)
                {
                    NormalizeChannel(xa, ya, batch, channels, planeSize, c, ((BatchNormChannelStatistics*)sta)[c],
                        affine ? (float*)ga : null, shifted ? (float*)ba : null, (float*)ma, (float*)sa);
                }
            });
        }
    }

    /// <summary>Training-mode normalisation of channel c from its statistics: saveMean[c] and saveInvStd[c], then
    /// y = ((x − shift) − delta)·γ·invStd + β over every image's plane. Shared by the forward that computes the
    /// statistics and the one that replays them, so the two agree bit for bit.</summary>
    /// <param name="gamma">γ, or null (not affine).</param>
    /// <param name="beta">β, or null (no shift).</param>
    private static void NormalizeChannel(nint xa, nint ya, int batch, int channels, int planeSize, int c,
        BatchNormChannelStatistics statistics, float* gamma, float* beta, float* saveMean, float* saveInvStd)
    {
        var (shift, delta, invStd) = statistics;
        saveMean[c] = (float)(shift + delta);
        saveInvStd[c] = (float)invStd;
        float scale = (float)(gamma != null ? gamma[c] * invStd : invStd);
        float bias = beta != null ? beta[c] : 0f;
        for (int n = 0; n < batch; n++)
        {
            Normalize(Segment(xa, n, c, channels, planeSize), shift, (float)delta, scale, bias,
                Output(ya, n, c, channels, planeSize));
        }
    }

    public static void ForwardInference(int batch, int channels, int planeSize, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar, float eps, Span<float> y)
    {
        Check(batch, channels, planeSize, x.Length, y.Length, gamma.Length, beta.Length);
        CheckPerChannel(channels, runningMean.Length, nameof(runningMean), optional: false);
        CheckPerChannel(channels, runningVar.Length, nameof(runningVar), optional: false);
        int per = FixedChunks.ItemsPerChunk(batch * planeSize);
        bool affine = !gamma.IsEmpty, shifted = !beta.IsEmpty;
        fixed (float* xp = x, yp = y, gp = gamma, bp = beta, rmp = runningMean, rvp = runningVar)
        {
            nint xa = (nint)xp, ya = (nint)yp, ga = (nint)gp, ba = (nint)bp, rma = (nint)rmp, rva = (nint)rvp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int last = Math.Min(channels, (chunk + 1) * per);
                for (int c = chunk * per; c < last; c++)
                {
                    double invStd = 1.0 / Math.Sqrt(((float*)rva)[c] + (double)eps);
                    float scale = (float)(affine ? ((float*)ga)[c] * invStd : invStd);
                    float bias = shifted ? ((float*)ba)[c] : 0f;
                    for (int n = 0; n < batch; n++)
                    {
                        Normalize(Segment(xa, n, c, channels, planeSize), ((float*)rma)[c], 0f, scale, bias,
                            Output(ya, n, c, channels, planeSize));
                    }
                }
            });
        }
    }

    /// <summary>Training-mode backward: dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)); dγ = Σ dy·x̂; dβ = Σ dy.</summary>
    /// <remarks>dx is written or added (<paramref name="accumulate"/>); dγ and dβ are always overwritten and may be
    /// empty.</remarks>
    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta, bool accumulate)
    {
        Check(batch, channels, planeSize, x.Length, dx.Length, gamma.Length, 0);
        Check(batch, channels, planeSize, dy.Length, dx.Length, 0, 0);
        CheckPerChannel(channels, saveMean.Length, nameof(saveMean), optional: false);
        CheckPerChannel(channels, saveInvStd.Length, nameof(saveInvStd), optional: false);
        CheckPerChannel(channels, dGamma.Length, nameof(dGamma), optional: true);
        CheckPerChannel(channels, dBeta.Length, nameof(dBeta), optional: true);
        int count = batch * planeSize, per = FixedChunks.ItemsPerChunk(2L * count);
        bool affine = !gamma.IsEmpty, wantGamma = !dGamma.IsEmpty, wantBeta = !dBeta.IsEmpty;
        fixed (float* xp = x, dyp = dy, gp = gamma, mp = saveMean, sp = saveInvStd, dxp = dx, dgp = dGamma,
            dbp = dBeta)
        {
            nint xa = (nint)xp, dya = (nint)dyp, ga = (nint)gp, ma = (nint)mp, sa = (nint)sp, dxa = (nint)dxp;
            nint dga = (nint)dgp, dba = (nint)dbp;
            CpuParallel.For(FixedChunks.ChunkCount(channels, per), chunk =>
            {
                int last = Math.Min(channels, (chunk + 1) * per);
                for (int c = chunk * per; c < last; c++)
                {
                    float mean = ((float*)ma)[c];
                    double invStd = ((float*)sa)[c];
                    long first = (long)c * planeSize;
                    ChannelSums.GradientMoments((float*)xa + first, (float*)dya + first, batch,
                        (long)channels * planeSize, planeSize, mean, out double sumDy, out double sumDyD);
                    double sumDyXhat = sumDyD * invStd;
                    if (wantGamma)
                    {
                        ((float*)dga)[c] = (float)sumDyXhat;
                    }
                    if (wantBeta)
                    {
                        ((float*)dba)[c] = (float)sumDy;
                    }
                    // dx = a·dy + b·(x − mean) + k, the reference's formula multiplied out per channel.
                    double a = (affine ? ((float*)ga)[c] : 1.0) * invStd;
                    float b = (float)(-a * invStd * sumDyXhat / count), k = (float)(-a * sumDy / count);
                    for (int n = 0; n < batch; n++)
                    {
                        BackwardRow(Segment(xa, n, c, channels, planeSize), Segment(dya, n, c, channels, planeSize),
                            mean, (float)a, b, k, Output(dxa, n, c, channels, planeSize), accumulate);
                    }
                }
            });
        }
    }

    /// <summary>Moments of channel c of an [N, C, planeSize] tensor in one pass: the data are shifted by the first
    /// image's mean of the channel (near enough the channel mean for the shifted sums to keep their precision), so
    /// mean = shift + delta and the biased variance comes from the shifted Σd, Σd².</summary>
    internal static void ChannelMoments(float* x, int batch, int channels, int planeSize, int c, out float shift,
        out double delta, out double variance)
    {
        shift = (float)(ChannelSums.Sum(new ReadOnlySpan<float>(x + ((long)c * planeSize), planeSize)) / planeSize);
        ChannelSums.ShiftedMoments(x + ((long)c * planeSize), batch, (long)channels * planeSize, planeSize, shift,
            out double sum, out double sumSq);
        long count = (long)batch * planeSize;
        delta = sum / count;
        variance = Math.Max(0, (sumSq / count) - (delta * delta));
    }

    /// <summary>PyTorch's running-statistics rule: the running mean moves towards the batch mean and the running
    /// variance towards the unbiased batch variance, each by <paramref name="momentum"/>.</summary>
    /// <param name="variance">The biased batch variance (normalisation's); made unbiased here.</param>
    /// <param name="count">Values per channel in the batch (N·H·W).</param>
    public static void UpdateRunning(ref float runningMean, ref float runningVar, double mean, double variance,
        long count, float momentum)
    {
        double unbiased = count > 1 ? variance * count / (count - 1) : variance;
        runningMean = (float)(((1 - momentum) * runningMean) + (momentum * mean));
        runningVar = (float)(((1 - momentum) * runningVar) + (momentum * unbiased));
    }

    /// <summary>y = ((x − shift) − delta)·scale + bias.</summary>
    private static void Normalize(ReadOnlySpan<float> x, float shift, float delta, float scale, float bias,
        Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            Vector256<float> sv = Vector256.Create(shift), dv = Vector256.Create(delta);
            Vector256<float> kv = Vector256.Create(scale), bv = Vector256.Create(bias);
            for (; i <= x.Length - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)i) - sv - dv;
                Vector256.FusedMultiplyAdd(d, kv, bv).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            y[i] = MathF.FusedMultiplyAdd(x[i] - shift - delta, scale, bias);
        }
    }

    /// <summary>dx (= or +=) a·dy + b·(x − mean) + k.</summary>
    internal static void BackwardRow(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean, float a, float b,
        float k, Span<float> dx, bool accumulate)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float gr = ref MemoryMarshal.GetReference(dy);
            ref float dr = ref MemoryMarshal.GetReference(dx);
            Vector256<float> mv = Vector256.Create(mean), av = Vector256.Create(a);
            Vector256<float> bv = Vector256.Create(b), kv = Vector256.Create(k);
            for (; i <= x.Length - 8; i += 8)
            {
                var t = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i) - mv, bv, kv);
                var v = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref gr, (nuint)i), av, t);
                if (accumulate)
                {
                    v += Vector256.LoadUnsafe(ref dr, (nuint)i);
                }
                v.StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            float v = MathF.FusedMultiplyAdd(dy[i], a, MathF.FusedMultiplyAdd(x[i] - mean, b, k));
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    private static ReadOnlySpan<float> Segment(nint basePtr, int n, int c, int channels, int planeSize) =>
        new((float*)basePtr + ((((long)n * channels) + c) * planeSize), planeSize);

    private static Span<float> Output(nint basePtr, int n, int c, int channels, int planeSize) =>
        new((float*)basePtr + ((((long)n * channels) + c) * planeSize), planeSize);

    private static void Check(int batch, int channels, int planeSize, int inputLength, int outputLength,
        int gammaLength, int betaLength)
    {
        if (batch <= 0 || channels <= 0 || planeSize <= 0)
        {
            throw new ArgumentException($"Batch norm sizes must be positive, got {batch}×{channels}×{planeSize}.");
        }
        long total = (long)batch * channels * planeSize;
        if (inputLength < total || outputLength < total)
        {
            throw new ArgumentException(
                $"Batch norm over {total} elements got spans of {inputLength} and {outputLength}.");
        }
        CheckPerChannel(channels, gammaLength, "gamma", optional: true);
        CheckPerChannel(channels, betaLength, "beta", optional: true);
    }

    private static void CheckPerChannel(int channels, int length, string name, bool optional)
    {
        if (length < channels && !(optional && length == 0))
        {
            throw new ArgumentException(
                $"{name} holds {length} elements, {channels} needed{(optional ? " (or none)" : "")}.", name);
        }
    }
}

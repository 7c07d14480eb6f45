using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NasBench.Kernels.Cpu;

/// <summary>Fixed-order sums over one contiguous segment, returned in double.</summary>
/// <remarks>
/// Float vector accumulators run over blocks of <see cref="Block"/> elements and each block is flushed into a double,
/// so the float part never sums more than Block / 16 terms per lane whatever the plane size. The order depends only
/// on the length (no alignment peeling, unlike <c>TensorPrimitives.Sum</c>), so a result never changes with the
/// buffer's address. 256-bit vectors: on Zen 4 a 512-bit op is two 256-bit halves (docs/peers.md), and these loops
/// are load-bound anyway.
/// </remarks>
internal static unsafe class ChannelSums
{
    private const int Block = 1024;

    /// <summary>Σ x.</summary>
    public static double Sum(ReadOnlySpan<float> x)
    {
        double total = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int start = 0; start < x.Length; start += Block)
        {
            int end = Math.Min(x.Length, start + Block), i = start;
            float tail = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> a0 = default, a1 = default;
                for (; i <= end - 16; i += 16)
                {
                    a0 += Vector256.LoadUnsafe(ref xr, (nuint)i);
                    a1 += Vector256.LoadUnsafe(ref xr, (nuint)(i + 8));
                }
                for (; i <= end - 8; i += 8)
                {
                    a0 += Vector256.LoadUnsafe(ref xr, (nuint)i);
                }
                tail = Vector256.Sum(a0 + a1);
            }
            for (; i < end; i++)
            {
                tail += x[i];
            }
            total += tail;
        }
        return total;
    }

    /// <summary>Σ (x − shift) and Σ (x − shift)², the shifted-data moments.</summary>
    public static void ShiftedMoments(ReadOnlySpan<float> x, float shift, out double sum, out double sumSq)
    {
        sum = 0;
        sumSq = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        var sv = Vector256.Create(shift);
        for (int start = 0; start < x.Length; start += Block)
        {
            int end = Math.Min(x.Length, start + Block), i = start;
            float s1 = 0, s2 = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> a0 = default, a1 = default, q0 = default, q1 = default;
                for (; i <= end - 16; i += 16)
                {
                    var d0 = Vector256.LoadUnsafe(ref xr, (nuint)i) - sv;
                    var d1 = Vector256.LoadUnsafe(ref xr, (nuint)(i + 8)) - sv;
                    a0 += d0;
                    a1 += d1;
                    q0 = Vector256.FusedMultiplyAdd(d0, d0, q0);
                    q1 = Vector256.FusedMultiplyAdd(d1, d1, q1);
                }
                for (; i <= end - 8; i += 8)
                {
                    var d0 = Vector256.LoadUnsafe(ref xr, (nuint)i) - sv;
                    a0 += d0;
                    q0 = Vector256.FusedMultiplyAdd(d0, d0, q0);
                }
                s1 = Vector256.Sum(a0 + a1);
                s2 = Vector256.Sum(q0 + q1);
            }
            for (; i < end; i++)
            {
                float d = x[i] - shift;
                s1 += d;
                s2 = MathF.FusedMultiplyAdd(d, d, s2);
            }
            sum += s1;
            sumSq += s2;
        }
    }

    /// <summary><see cref="ShiftedMoments(ReadOnlySpan{float}, float, out double, out double)"/> over
    /// <paramref name="segments"/> segments of <paramref name="length"/> floats, <paramref name="stride"/> floats
    /// apart (the planes of one channel in NCHW).</summary>
    /// <remarks>Segments shorter than <see cref="Block"/> (7×7 and 14×14 planes) share the float accumulators: whole
    /// segments are summed into one block of at most Block elements before the horizontal sum and the flush into
    /// double, where a call per segment paid both for every 49 or 196 floats. The next segment is prefetched (the
    /// planes are a channel stride apart, too far for the hardware prefetcher). The order depends only on the sizes.
    /// </remarks>
    public static void ShiftedMoments(float* x, int segments, long stride, int length, float shift, out double sum,
        out double sumSq)
    {
        sum = 0;
        sumSq = 0;
        if (length >= Block || !Vector256.IsHardwareAccelerated)
        {
            for (int n = 0; n < segments; n++)
            {
                float* segment = x + (n * stride);
                if (n + 1 < segments)
                {
                    Prefetch(segment + stride, length);
                }
                ShiftedMoments(new ReadOnlySpan<float>(segment, length), shift, out double s1, out double s2);
                sum += s1;
                sumSq += s2;
            }
            return;
        }
        var sv = Vector256.Create(shift);
        int perBlock = Math.Max(1, Block / Math.Max(1, length));
        for (int first = 0; first < segments; first += perBlock)
        {
            int end = Math.Min(segments, first + perBlock);
            Vector256<float> a0 = default, a1 = default, q0 = default, q1 = default;
            float t1 = 0, t2 = 0;
            for (int n = first; n < end; n++)
            {
                float* p = x + (n * stride);
                if (n + 1 < segments)
                {
                    Prefetch(p + stride, length);
                }
                int i = 0;
                for (; i <= length - 16; i += 16)
                {
                    var d0 = Vector256.Load(p + i) - sv;
                    var d1 = Vector256.Load(p + i + 8) - sv;
                    a0 += d0;
                    a1 += d1;
                    q0 = Vector256.FusedMultiplyAdd(d0, d0, q0);
                    q1 = Vector256.FusedMultiplyAdd(d1, d1, q1);
                }
                for (; i <= length - 8; i += 8)
                {
                    var d0 = Vector256.Load(p + i) - sv;
                    a0 += d0;
                    q0 = Vector256.FusedMultiplyAdd(d0, d0, q0);
                }
                for (; i < length; i++)
                {
                    float d = p[i] - shift;
                    t1 += d;
                    t2 = MathF.FusedMultiplyAdd(d, d, t2);
                }
            }
            sum += (double)Vector256.Sum(a0 + a1) + t1;
            sumSq += (double)Vector256.Sum(q0 + q1) + t2;
        }
    }

    /// <summary><see cref="GradientMoments(ReadOnlySpan{float}, ReadOnlySpan{float}, float, out double, out double)"/>
    /// over strided segments of x and dy at the same offsets; short segments share accumulators as in
    /// <see cref="ShiftedMoments(float*, int, long, int, float, out double, out double)"/>.</summary>
    public static void GradientMoments(float* x, float* dy, int segments, long stride, int length, float shift,
        out double sumDy, out double sumDyD)
    {
        sumDy = 0;
        sumDyD = 0;
        if (length >= Block || !Vector256.IsHardwareAccelerated)
        {
            for (int n = 0; n < segments; n++)
            {
                GradientMoments(new ReadOnlySpan<float>(x + (n * stride), length),
                    new ReadOnlySpan<float>(dy + (n * stride), length), shift, out double s1, out double s2);
                sumDy += s1;
                sumDyD += s2;
            }
            return;
        }
        var sv = Vector256.Create(shift);
        int perBlock = Math.Max(1, Block / Math.Max(1, length));
        for (int first = 0; first < segments; first += perBlock)
        {
            int end = Math.Min(segments, first + perBlock);
            Vector256<float> a0 = default, a1 = default, q0 = default, q1 = default;
            float t1 = 0, t2 = 0;
            for (int n = first; n < end; n++)
            {
                float* xp = x + (n * stride), gp = dy + (n * stride);
                if (n + 1 < segments)
                {
                    Prefetch(xp + stride, length);
                    Prefetch(gp + stride, length);
                }
                int i = 0;
                for (; i <= length - 16; i += 16)
                {
                    var g0 = Vector256.Load(gp + i);
                    var g1 = Vector256.Load(gp + i + 8);
                    a0 += g0;
                    a1 += g1;
                    q0 = Vector256.FusedMultiplyAdd(g0, Vector256.Load(xp + i) - sv, q0);
                    q1 = Vector256.FusedMultiplyAdd(g1, Vector256.Load(xp + i + 8) - sv, q1);
                }
                for (; i <= length - 8; i += 8)
                {
                    var g0 = Vector256.Load(gp + i);
                    a0 += g0;
                    q0 = Vector256.FusedMultiplyAdd(g0, Vector256.Load(xp + i) - sv, q0);
                }
                for (; i < length; i++)
                {
                    t1 += gp[i];
                    t2 = MathF.FusedMultiplyAdd(gp[i], xp[i] - shift, t2);
                }
            }
            sumDy += (double)Vector256.Sum(a0 + a1) + t1;
            sumDyD += (double)Vector256.Sum(q0 + q1) + t2;
        }
    }

    /// <summary>Asks for the next segment while this one is summed. A channel is N runs of planeSize floats spaced
    /// C·planeSize apart: too short (3 KiB at 28×28) for the hardware prefetcher to ramp up on, so without this the
    /// first pass over a channel waits on memory at the start of every run.</summary>
    private static void Prefetch(float* p, int length)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (int i = 0; i < length; i += 16)
        {
            Sse.Prefetch0(p + i);
        }
    }

    /// <summary>Σ dy and Σ dy·(x − shift), the batch-norm backward moments.</summary>
    public static void GradientMoments(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float shift, out double sumDy,
        out double sumDyD)
    {
        sumDy = 0;
        sumDyD = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        var sv = Vector256.Create(shift);
        for (int start = 0; start < x.Length; start += Block)
        {
            int end = Math.Min(x.Length, start + Block), i = start;
            float s1 = 0, s2 = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> a0 = default, a1 = default, q0 = default, q1 = default;
                for (; i <= end - 16; i += 16)
                {
                    var g0 = Vector256.LoadUnsafe(ref gr, (nuint)i);
                    var g1 = Vector256.LoadUnsafe(ref gr, (nuint)(i + 8));
                    a0 += g0;
                    a1 += g1;
                    q0 = Vector256.FusedMultiplyAdd(g0, Vector256.LoadUnsafe(ref xr, (nuint)i) - sv, q0);
                    q1 = Vector256.FusedMultiplyAdd(g1, Vector256.LoadUnsafe(ref xr, (nuint)(i + 8)) - sv, q1);
                }
                for (; i <= end - 8; i += 8)
                {
                    var g0 = Vector256.LoadUnsafe(ref gr, (nuint)i);
                    a0 += g0;
                    q0 = Vector256.FusedMultiplyAdd(g0, Vector256.LoadUnsafe(ref xr, (nuint)i) - sv, q0);
                }
                s1 = Vector256.Sum(a0 + a1);
                s2 = Vector256.Sum(q0 + q1);
            }
            for (; i < end; i++)
            {
                s1 += dy[i];
                s2 = MathF.FusedMultiplyAdd(dy[i], x[i] - shift, s2);
            }
            sumDy += s1;
            sumDyD += s2;
        }
    }
}

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>Fixed-order sums over one contiguous segment, returned in double.</summary>
/// <remarks>
/// Float vector accumulators run over blocks of <see cref="Block"/> elements and each block is flushed into a double,
/// so the float part never sums more than Block / 16 terms per lane whatever the plane size. The order depends only
/// on the length (no alignment peeling, unlike <c>TensorPrimitives.Sum</c>), so a result never changes with the
/// buffer's address. 256-bit vectors: on Zen 4 a 512-bit op is two 256-bit halves (docs/peers.md), and these loops
/// are load-bound anyway.
/// </remarks>
internal static class ChannelSums
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Kernels.Cpu;

/// <summary>
/// The two inner loops of the direct depthwise convolution, over flattened planes: a weighted sum of shifted rows
/// (<see cref="Sum"/>, forward and backward-data) and a set of shifted dot products (<see cref="Dot"/>,
/// backward-weight). Each filter tap is one shifted pointer into a zero-padded scratch plane, so the loops carry no
/// bounds tests and vectorise along the flattened output.
/// </summary>
/// <remarks>Every element is reduced over taps in tap order, and every vector lane in a fixed order, so results do not
/// depend on the thread count.</remarks>
internal static unsafe class TapKernels
{
    /// <summary><c>dst[i] = Σₜ w[t] · src[t][i]</c> for i in [0, length); zeros when there are no taps.</summary>
    /// <remarks>Pure write: the last partial vector is recomputed overlapping the previous one.</remarks>
    public static void Sum(float* dst, int length, float** src, float* w, int taps)
    {
        if (taps == 0)
        {
            new Span<float>(dst, length).Clear();
            return;
        }
        int i = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            i = Sum512(dst, length, src, w, taps);
        }
        else if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            i = Sum256(dst, length, src, w, taps);
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            i = Sum128(dst, length, src, w, taps);
        }
        for (; i < length; i++)
        {
            float acc = 0;
            for (int t = 0; t < taps; t++)
            {
                acc = MathF.FusedMultiplyAdd(w[t], src[t][i], acc);
            }
            dst[i] = acc;
        }
    }

    /// <summary><c>acc[t] += Σᵢ g[i] · src[t][i]</c> for i in [0, length).</summary>
    public static void Dot(float* g, int length, float** src, float* acc, int taps)
    {
        int t = 0;
        for (; t + 4 <= taps; t += 4)
        {
            Dot4(g, length, src + t, acc + t);
        }
        for (; t < taps; t++)
        {
            acc[t] += Dot1(g, length, src[t]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Sum512(float* dst, int length, float** src, float* w, int taps)
    {
        const int V = 16;
        int i = 0;
        for (; i + (4 * V) <= length; i += 4 * V)
        {
            Block512(dst, i, src, w, taps);
        }
        if (i < length && length >= 4 * V)
        {
            // The rest as one more block of four vectors ending at the last element, overlapping the block before
            // (a pure write: the overlapped outputs get the same values again). One vector at a time, each tap's
            // multiply-add waited for the one before (4 cycles), and the tails of short runs (a 7×7 plane is 61 to
            // 97 floats) cost several times the blocks.
            Block512(dst, length - (4 * V), src, w, taps);
            return length;
        }
        while (i < length)
        {
            // The final vector overlaps the previous one rather than running a scalar tail.
            int at = Math.Min(i, length - V);
            Vector512<float> a0 = default;
            for (int t = 0; t < taps; t++)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(src[t] + at), Vector512.Create(w[t]), a0);
            }
            a0.Store(dst + at);
            i = at + V;
        }
        return length;
    }

    /// <summary>dst[i .. i + 64) of <see cref="Sum"/>: four vectors, four multiply-add chains in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512(float* dst, int i, float** src, float* w, int taps)
    {
        const int V = 16;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int t = 0; t < taps; t++)
        {
            var wv = Vector512.Create(w[t]);
            float* p = src[t] + i;
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(p), wv, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(p + V), wv, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (2 * V)), wv, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (3 * V)), wv, a3);
        }
        a0.Store(dst + i);
        a1.Store(dst + i + V);
        a2.Store(dst + i + (2 * V));
        a3.Store(dst + i + (3 * V));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Sum256(float* dst, int length, float** src, float* w, int taps)
    {
        const int V = 8;
        int i = 0;
        for (; i + (4 * V) <= length; i += 4 * V)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int t = 0; t < taps; t++)
            {
                var wv = Vector256.Create(w[t]);
                float* p = src[t] + i;
                a0 = Vector256.MultiplyAddEstimate(Vector256.Load(p), wv, a0);
                a1 = Vector256.MultiplyAddEstimate(Vector256.Load(p + V), wv, a1);
                a2 = Vector256.MultiplyAddEstimate(Vector256.Load(p + (2 * V)), wv, a2);
                a3 = Vector256.MultiplyAddEstimate(Vector256.Load(p + (3 * V)), wv, a3);
            }
            a0.Store(dst + i);
            a1.Store(dst + i + V);
            a2.Store(dst + i + (2 * V));
            a3.Store(dst + i + (3 * V));
        }
        while (i < length)
        {
            int at = Math.Min(i, length - V);
            Vector256<float> a0 = default;
            for (int t = 0; t < taps; t++)
            {
                a0 = Vector256.MultiplyAddEstimate(Vector256.Load(src[t] + at), Vector256.Create(w[t]), a0);
            }
            a0.Store(dst + at);
            i = at + V;
        }
        return length;
    }

    private static int Sum128(float* dst, int length, float** src, float* w, int taps)
    {
        const int V = 4;
        int i = 0;
        while (i < length)
        {
            int at = Math.Min(i, length - V);
            Vector128<float> a0 = default;
            for (int t = 0; t < taps; t++)
            {
                a0 = Vector128.MultiplyAddEstimate(Vector128.Load(src[t] + at), Vector128.Create(w[t]), a0);
            }
            a0.Store(dst + at);
            i = at + V;
        }
        return length;
    }

    /// <summary>Four taps at once share each load of <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(float* g, int length, float** src, float* acc)
    {
        float* s0 = src[0], s1 = src[1], s2 = src[2], s3 = src[3];
        int i = 0;
        float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            const int V = 16;
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (; i + (2 * V) <= length; i += 2 * V)
            {
                var g0 = Vector512.Load(g + i);
                var g1 = Vector512.Load(g + i + V);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(s0 + i), g0, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(s1 + i), g0, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(s2 + i), g0, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(s3 + i), g0, a3);
                b0 = Vector512.FusedMultiplyAdd(Vector512.Load(s0 + i + V), g1, b0);
                b1 = Vector512.FusedMultiplyAdd(Vector512.Load(s1 + i + V), g1, b1);
                b2 = Vector512.FusedMultiplyAdd(Vector512.Load(s2 + i + V), g1, b2);
                b3 = Vector512.FusedMultiplyAdd(Vector512.Load(s3 + i + V), g1, b3);
            }
            if (i + V <= length)
            {
                var g0 = Vector512.Load(g + i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(s0 + i), g0, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(s1 + i), g0, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(s2 + i), g0, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(s3 + i), g0, a3);
                i += V;
            }
            if (Avx512F.IsSupported && i < length)
            {
                // The last 1..15 floats as one masked vector (a run per image is as short as 61 floats, where a
                // scalar tail of up to 31 was a third of the work); masked lanes are not read and add zero.
                var keep = LaneMask.First(length - i);
                var zero = Vector512<float>.Zero;
                var g0 = Avx512F.MaskLoad(g + i, keep, zero);
                b0 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(s0 + i, keep, zero), g0, b0);
                b1 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(s1 + i, keep, zero), g0, b1);
                b2 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(s2 + i, keep, zero), g0, b2);
                b3 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(s3 + i, keep, zero), g0, b3);
                i = length;
            }
            r0 = Vector512.Sum(a0 + b0);
            r1 = Vector512.Sum(a1 + b1);
            r2 = Vector512.Sum(a2 + b2);
            r3 = Vector512.Sum(a3 + b3);
        }
        else if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            const int V = 8;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + V <= length; i += V)
            {
                var g0 = Vector256.Load(g + i);
                a0 = Vector256.MultiplyAddEstimate(Vector256.Load(s0 + i), g0, a0);
                a1 = Vector256.MultiplyAddEstimate(Vector256.Load(s1 + i), g0, a1);
                a2 = Vector256.MultiplyAddEstimate(Vector256.Load(s2 + i), g0, a2);
                a3 = Vector256.MultiplyAddEstimate(Vector256.Load(s3 + i), g0, a3);
            }
            r0 = Vector256.Sum(a0);
            r1 = Vector256.Sum(a1);
            r2 = Vector256.Sum(a2);
            r3 = Vector256.Sum(a3);
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            const int V = 4;
            Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + V <= length; i += V)
            {
                var g0 = Vector128.Load(g + i);
                a0 = Vector128.MultiplyAddEstimate(Vector128.Load(s0 + i), g0, a0);
                a1 = Vector128.MultiplyAddEstimate(Vector128.Load(s1 + i), g0, a1);
                a2 = Vector128.MultiplyAddEstimate(Vector128.Load(s2 + i), g0, a2);
                a3 = Vector128.MultiplyAddEstimate(Vector128.Load(s3 + i), g0, a3);
            }
            r0 = Vector128.Sum(a0);
            r1 = Vector128.Sum(a1);
            r2 = Vector128.Sum(a2);
            r3 = Vector128.Sum(a3);
        }
        for (; i < length; i++)
        {
            float gv = g[i];
            r0 = MathF.FusedMultiplyAdd(s0[i], gv, r0);
            r1 = MathF.FusedMultiplyAdd(s1[i], gv, r1);
            r2 = MathF.FusedMultiplyAdd(s2[i], gv, r2);
            r3 = MathF.FusedMultiplyAdd(s3[i], gv, r3);
        }
        acc[0] += r0;
        acc[1] += r1;
        acc[2] += r2;
        acc[3] += r3;
    }

    private static float Dot1(float* g, int length, float* s)
    {
        int i = 0;
        float r = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            const int V = 16;
            Vector512<float> a0 = default;
            for (; i + V <= length; i += V)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(s + i), Vector512.Load(g + i), a0);
            }
            if (Avx512F.IsSupported && i < length)
            {
                var keep = LaneMask.First(length - i);
                var zero = Vector512<float>.Zero;
                a0 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(s + i, keep, zero), Avx512F.MaskLoad(g + i, keep, zero),
                    a0);
                i = length;
            }
            r = Vector512.Sum(a0);
        }
        else if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            const int V = 8;
            Vector256<float> a0 = default;
            for (; i + V <= length; i += V)
            {
                a0 = Vector256.MultiplyAddEstimate(Vector256.Load(s + i), Vector256.Load(g + i), a0);
            }
            r = Vector256.Sum(a0);
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            const int V = 4;
            Vector128<float> a0 = default;
            for (; i + V <= length; i += V)
            {
                a0 = Vector128.MultiplyAddEstimate(Vector128.Load(s + i), Vector128.Load(g + i), a0);
            }
            r = Vector128.Sum(a0);
        }
        for (; i < length; i++)
        {
            r = MathF.FusedMultiplyAdd(s[i], g[i], r);
        }
        return r;
    }
}

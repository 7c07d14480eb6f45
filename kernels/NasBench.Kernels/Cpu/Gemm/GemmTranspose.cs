using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>8×8 float block transpose for packing the operands whose k index is contiguous in memory (A not
/// transposed, B transposed): the scalar gather with stride MR or NR costs as much as the multiply on small-M
/// convolution GEMMs.</summary>
internal static unsafe class GemmTranspose
{
    public static bool IsAccelerated => Avx.IsSupported;

    /// <summary>dst[i·dstStride + j] = src[j·srcStride + i] for i, j &lt; 8, through max(·, 0) with
    /// <paramref name="relu"/> (IEEE maximum, as <see cref="ActivationKernel.Relu"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride, bool relu = false)
    {
        if (!Avx.IsSupported)
        {
            for (int i = 0; i < 8; i++)
            {
                for (int j = 0; j < 8; j++)
                {
                    float v = src[(j * srcStride) + i];
                    dst[(i * dstStride) + j] = relu ? MathF.Max(v, 0f) : v;
                }
            }
            return;
        }
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + (2 * srcStride));
        var r3 = Avx.LoadVector256(src + (3 * srcStride));
        var r4 = Avx.LoadVector256(src + (4 * srcStride));
        var r5 = Avx.LoadVector256(src + (5 * srcStride));
        var r6 = Avx.LoadVector256(src + (6 * srcStride));
        var r7 = Avx.LoadVector256(src + (7 * srcStride));
        if (relu)
        {
            var zero = Vector256<float>.Zero;
            (r0, r1, r2, r3) = (Vector256.Max(r0, zero), Vector256.Max(r1, zero), Vector256.Max(r2, zero),
                Vector256.Max(r3, zero));
            (r4, r5, r6, r7) = (Vector256.Max(r4, zero), Vector256.Max(r5, zero), Vector256.Max(r6, zero),
                Vector256.Max(r7, zero));
        }
        // Interleave pairs of rows, then pairs of pairs; each 128-bit lane then holds a 4×4 transpose.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the low lanes (columns 0-3) and the high lanes (columns 4-7) of rows 0-3 and 4-7.
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * dstStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * dstStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * dstStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * dstStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * dstStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * dstStride), Avx.Permute2x128(s3, s7, 0x31));
    }
}

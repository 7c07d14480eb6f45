using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>Copy, copy-plus-scalar and add for short rows (tens of floats: one row of a feature map).</summary>
/// <remarks>At 28 floats a row, a call into <c>Span.CopyTo</c> or <c>TensorPrimitives</c> costs more than the copy
/// itself, and the convolution kernels do a few per row of every plane. These inline loops finish with one vector
/// overlapping the previous one instead of a scalar tail; source and destination must not overlap.</remarks>
internal static unsafe class RowCopy
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int i = 0;
            for (; i < n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Load(src + i).Store(dst + i);
            }
            i = n - Vector512<float>.Count;
            Vector512.Load(src + i).Store(dst + i);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int i = 0;
            for (; i < n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Load(src + i).Store(dst + i);
            }
            i = n - Vector256<float>.Count;
            Vector256.Load(src + i).Store(dst + i);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                dst[i] = src[i];
            }
        }
    }

    /// <summary><c>dst[i] = src[i] + b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyAdd(float* src, float b, float* dst, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var bv = Vector512.Create(b);
            int i = 0;
            for (; i < n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.Load(src + i) + bv).Store(dst + i);
            }
            i = n - Vector512<float>.Count;
            (Vector512.Load(src + i) + bv).Store(dst + i);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var bv = Vector256.Create(b);
            int i = 0;
            for (; i < n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.Load(src + i) + bv).Store(dst + i);
            }
            i = n - Vector256<float>.Count;
            (Vector256.Load(src + i) + bv).Store(dst + i);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                dst[i] = src[i] + b;
            }
        }
    }

    /// <summary><c>dst[i] += src[i]</c>. Not idempotent, so the tail is scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.Load(dst + i) + Vector512.Load(src + i)).Store(dst + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
            }
        }
        for (; i < n; i++)
        {
            dst[i] += src[i];
        }
    }
}

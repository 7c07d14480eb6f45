using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu;

/// <summary>Copy, copy-plus-scalar and add for short rows (tens of floats: one row of a feature map).</summary>
/// <remarks>At 28 floats a row, a call into <c>Span.CopyTo</c> or <c>TensorPrimitives</c> costs more than the copy
/// itself, and the convolution kernels do a few per row of every plane. These inline loops finish with one vector
/// overlapping the previous one instead of a scalar tail (down to 4 floats, two overlapping 128-bit vectors); source
/// and destination must not overlap.</remarks>
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
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            // 4…7 floats (the rows of 7×7 maps): two overlapping vectors instead of a scalar loop.
            Vector128.Load(src).Store(dst);
            Vector128.Load(src + n - Vector128<float>.Count).Store(dst + n - Vector128<float>.Count);
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
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var bv = Vector128.Create(b);
            (Vector128.Load(src) + bv).Store(dst);
            int i = n - Vector128<float>.Count;
            (Vector128.Load(src + i) + bv).Store(dst + i);
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

    /// <summary><c>dst[i] = max(src[i], 0)</c>: the copy of a fused ReLU (same result as
    /// <see cref="ActivationKernel.Relu"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyRelu(float* src, float* dst, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int i = 0;
            for (; i < n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Max(Vector512.Load(src + i), Vector512<float>.Zero).Store(dst + i);
            }
            i = n - Vector512<float>.Count;
            Vector512.Max(Vector512.Load(src + i), Vector512<float>.Zero).Store(dst + i);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int i = 0;
            for (; i < n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.Load(src + i), Vector256<float>.Zero).Store(dst + i);
            }
            i = n - Vector256<float>.Count;
            Vector256.Max(Vector256.Load(src + i), Vector256<float>.Zero).Store(dst + i);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            Vector128.Max(Vector128.Load(src), Vector128<float>.Zero).Store(dst);
            int i = n - Vector128<float>.Count;
            Vector128.Max(Vector128.Load(src + i), Vector128<float>.Zero).Store(dst + i);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                dst[i] = MathF.Max(src[i], 0f);
            }
        }
    }

    /// <summary><c>dst[c] = src[2c]</c> for c in [0, n) (optionally through ReLU): one row of a stride-2 phase plane.
    /// Reads src only up to index 2n − 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherEven(float* src, float* dst, int n, bool relu)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
            // 16 outputs read src[2c .. 2c + 31]; index 2c + 31 must stay below 2n − 1.
            for (; c + Vector512<float>.Count < n; c += Vector512<float>.Count)
            {
                float* p = src + (2 * c);
                var v = Vector512.Create(Vector512.Shuffle(Vector512.Load(p), even).GetLower(),
                    Vector512.Shuffle(Vector512.Load(p + Vector512<float>.Count), even).GetLower());
                (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(dst + c);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var even = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; c + Vector256<float>.Count < n; c += Vector256<float>.Count)
            {
                float* p = src + (2 * c);
                var v = Vector256.Create(Vector256.Shuffle(Vector256.Load(p), even).GetLower(),
                    Vector256.Shuffle(Vector256.Load(p + Vector256<float>.Count), even).GetLower());
                (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).Store(dst + c);
            }
        }
        for (; c < n; c++)
        {
            float v = src[2 * c];
            dst[c] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    /// <summary><c>dst[i] (= or +=) src[i]</c> where <c>mask[i] &gt; 0</c>, else 0: the backward of a fused ReLU
    /// (same result as <see cref="ActivationKernel.ReluBackward"/>). Scalar tail, since += is not idempotent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Masked(float* src, float* mask, float* dst, int n, bool accumulate)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(mask + i),
                    Vector512<float>.Zero), Vector512.Load(src + i), Vector512<float>.Zero);
                (accumulate ? Vector512.Load(dst + i) + v : v).Store(dst + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(mask + i),
                    Vector256<float>.Zero), Vector256.Load(src + i), Vector256<float>.Zero);
                (accumulate ? Vector256.Load(dst + i) + v : v).Store(dst + i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var v = Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.Load(mask + i),
                    Vector128<float>.Zero), Vector128.Load(src + i), Vector128<float>.Zero);
                (accumulate ? Vector128.Load(dst + i) + v : v).Store(dst + i);
            }
        }
        for (; i < n; i++)
        {
            // At most three elements after the vector steps, so a select is cheap here (and, unlike multiplying by
            // 0/1, gives 0 rather than NaN for an infinite gradient, as the vector lanes do).
            float v = mask[i] > 0 ? src[i] : 0f;
            dst[i] = accumulate ? dst[i] + v : v;
        }
    }
}

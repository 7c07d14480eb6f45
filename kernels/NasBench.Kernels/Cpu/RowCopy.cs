using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;

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
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                (Vector128.Load(dst + i) + Vector128.Load(src + i)).Store(dst + i);
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

    /// <summary>What <see cref="Rows"/> does to each row.</summary>
    public enum RowOp
    {
        /// <summary><c>dst = src</c> (<see cref="Copy"/>).</summary>
        Copy,

        /// <summary><c>dst = max(src, 0)</c> (<see cref="CopyRelu"/>).</summary>
        Relu,

        /// <summary><c>dst += src</c> (<see cref="Add"/>).</summary>
        Add,
    }

    /// <summary>Applies <paramref name="op"/> to <paramref name="rows"/> rows of <paramref name="n"/> floats, row r at
    /// <c>src + r·srcStride</c> and <c>dst + r·dstStride</c>; the same values as calling the one-row method per row.
    /// </summary>
    /// <remarks>Rows of at most 16 floats (the 14- and 7-wide maps of the deeper cells, and their padded planes) take
    /// one masked 512-bit load and store each, the mask built once: the per-row calls, each with its own length
    /// tests and two overlapping vectors, cost as much as the depthwise taps on 14×14 planes. Masked lanes are
    /// neither read nor written, so nothing outside the rows is touched.</remarks>
    public static void Rows(float* src, long srcStride, float* dst, long dstStride, int rows, int n, RowOp op)
    {
        if (n <= 0)
        {
            return;
        }
        if (Avx512F.IsSupported && n <= Vector512<float>.Count)
        {
            var mask = LaneMask.First(n);
            for (int r = 0; r < rows; r++, src += srcStride, dst += dstStride)
            {
                var v = Avx512F.MaskLoad(src, mask, Vector512<float>.Zero);
                if (op == RowOp.Relu)
                {
                    v = Vector512.Max(v, Vector512<float>.Zero);
                }
                else if (op == RowOp.Add)
                {
                    v = Avx512F.MaskLoad(dst, mask, Vector512<float>.Zero) + v;
                }
                Avx512F.MaskStore(dst, mask, v);
            }
            return;
        }
        for (int r = 0; r < rows; r++, src += srcStride, dst += dstStride)
        {
            switch (op)
            {
                case RowOp.Relu:
                    CopyRelu(src, dst, n);
                    break;
                case RowOp.Add:
                    Add(src, dst, n);
                    break;
                default:
                    Copy(src, dst, n);
                    break;
            }
        }
    }

    /// <summary><c>dst[c] = src[2c]</c> for c in [0, n) (optionally through ReLU): one row of a stride-2 phase plane.
    /// Reads src only up to index 2n − 2.</summary>
    /// <remarks>Each vector of outputs takes the even lanes of two loads. The last one overlaps the one before instead
    /// of a scalar tail: its upper half is loaded one float early, from src[2c₀ + V − 1], and takes the odd lanes, so
    /// no read passes 2n − 2. The phase rows of 28- and 14-wide maps are 14 and 7 outputs long, where the scalar tail
    /// was most of the work and this copy the hottest loop of the reduction cells.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherEven(float* src, float* dst, int n, bool relu)
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            const int V = 16;
            var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
            var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 14);
            for (int c = 0; c + V < n; c += V)
            {
                float* p = src + (2 * c);
                Relu512(Vector512.Create(Vector512.Shuffle(Vector512.Load(p), even).GetLower(),
                    Vector512.Shuffle(Vector512.Load(p + V), even).GetLower()), relu).Store(dst + c);
            }
            float* q = src + (2 * (n - V));
            Relu512(Vector512.Create(Vector512.Shuffle(Vector512.Load(q), even).GetLower(),
                Vector512.Shuffle(Vector512.Load(q + V - 1), odd).GetLower()), relu).Store(dst + n - V);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            const int V = 8;
            var even = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            var odd = Vector256.Create(1, 3, 5, 7, 0, 2, 4, 6);
            for (int c = 0; c + V < n; c += V)
            {
                float* p = src + (2 * c);
                Relu256(Vector256.Create(Vector256.Shuffle(Vector256.Load(p), even).GetLower(),
                    Vector256.Shuffle(Vector256.Load(p + V), even).GetLower()), relu).Store(dst + c);
            }
            float* q = src + (2 * (n - V));
            Relu256(Vector256.Create(Vector256.Shuffle(Vector256.Load(q), even).GetLower(),
                Vector256.Shuffle(Vector256.Load(q + V - 1), odd).GetLower()), relu).Store(dst + n - V);
        }
        else if (Sse.IsSupported && n >= Vector128<float>.Count)
        {
            // shufps takes two lanes from each source in one instruction; Vector128.Create of two halves went
            // through the stack and made this path slower than the scalar loop it replaced.
            const int V = 4;
            for (int c = 0; c + V < n; c += V)
            {
                float* p = src + (2 * c);
                Relu128(Sse.Shuffle(Vector128.Load(p), Vector128.Load(p + V), 0b10_00_10_00), relu).Store(dst + c);
            }
            // Lanes 0 and 2 of src[2c₀ …], lanes 1 and 3 of src[2c₀ + 3 …]: src[2c₀ + 6] = src[2n − 2] at most.
            float* q = src + (2 * (n - V));
            Relu128(Sse.Shuffle(Vector128.Load(q), Vector128.Load(q + V - 1), 0b11_01_10_00), relu).Store(dst + n - V);
        }
        else
        {
            for (int c = 0; c < n; c++)
            {
                float v = src[2 * c];
                dst[c] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary><c>dst[2j] (= or +=) a[j]</c> and <c>dst[2j + 1] (= or +=) b[j]</c> for every index below n: the two
    /// column phases of a stride-2 row merged back into one row (the scatter of backward-data).</summary>
    /// <remarks>Eight floats per step from two <c>unpcklps</c>/<c>unpckhps</c>; the tail (under eight) is scalar,
    /// since += is not idempotent and a and b end where the row does.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(float* a, float* b, float* dst, int n, bool accumulate)
    {
        int j = 0;
        if (Sse.IsSupported)
        {
            for (; (2 * j) + 8 <= n; j += 4)
            {
                var va = Vector128.Load(a + j);
                var vb = Vector128.Load(b + j);
                var lo = Sse.UnpackLow(va, vb);
                var hi = Sse.UnpackHigh(va, vb);
                float* d = dst + (2 * j);
                if (accumulate)
                {
                    lo += Vector128.Load(d);
                    hi += Vector128.Load(d + 4);
                }
                lo.Store(d);
                hi.Store(d + 4);
            }
        }
        for (int i = 2 * j; i < n; i++)
        {
            float v = (i & 1) == 0 ? a[i >> 1] : b[i >> 1];
            dst[i] = accumulate ? dst[i] + v : v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Relu512(Vector512<float> v, bool relu) =>
        relu ? Vector512.Max(v, Vector512<float>.Zero) : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu256(Vector256<float> v, bool relu) =>
        relu ? Vector256.Max(v, Vector256<float>.Zero) : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Relu128(Vector128<float> v, bool relu) =>
        relu ? Vector128.Max(v, Vector128<float>.Zero) : v;

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

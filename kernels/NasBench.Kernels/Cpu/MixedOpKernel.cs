using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>DARTS mixed op: <c>y = Σ_k w_k·x_k</c> over K candidate outputs, and its backward, one pass over memory
/// each.</summary>
/// <remarks>
/// Contract as <see cref="MixedOpReference"/>: K = <c>weights.Length</c> = <c>inputs.Count</c>; n =
/// <c>output.Length</c> (forward) or <c>dy.Length</c> (backward); inputs and non-null input gradients hold at least
/// n floats (pooled arrays may be longer; only the first n are touched).
/// <para>The op is memory-bound (2 FLOP per 4-byte load), so the kernel streams every array exactly once: the forward
/// reads the K inputs side by side and writes y; the backward walks one fixed chunk at a time, keeping that chunk of
/// dy in L2 while each x_k and dx_k streams through. Outputs at least <see cref="NonTemporalThresholdBytes"/> long
/// are written with non-temporal stores: they would not fit in L3 anyway, and skipping the read-for-ownership saves
/// a third of the write traffic.</para>
/// <para>Determinism: every element of y and dx is computed by the same sequence of roundings (w_0·x_0, then fused
/// multiply-adds in k order) in every lane, tail and thread, so those results do not depend on the SIMD width's
/// tiling or the thread count. <c>dWeights[k]</c> is summed per fixed chunk of <see cref="ChunkLength"/> elements
/// in float lanes, then over chunks in double in chunk order: bit-identical at any thread count.</para>
/// </remarks>
public static class MixedOpKernel
{
    /// <summary>Elements per parallel chunk; fixed so reductions never depend on the thread count.</summary>
    internal const int ChunkLength = 16384;

    /// <summary>Output size from which stores bypass the caches (half the 32 MiB L3 of the reference machine).</summary>
    internal const long NonTemporalThresholdBytes = 16L << 20;

    private const int StackInputs = 16;

    [ThreadStatic]
    private static ForwardJob? t_forward;

    [ThreadStatic]
    private static BackwardJob? t_backward;

    /// <summary><c>y[i] = Σ_k w[k]·x_k[i]</c> for i &lt; <c>output.Length</c>.</summary>
    /// <exception cref="ArgumentException">Counts differ or an input is shorter than the output.</exception>
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, Span<float> output)
        => Forward(weights, FloatSegments.Of(inputs)!, output, SimdWidth.Best, null);

    /// <summary>As the array overload, on segments (each input's first element at its segment's offset).</summary>
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        Span<float> output) => Forward(weights, inputs, output, SimdWidth.Best, null);

    /// <summary>For each k with <c>dInputs[k] != null</c>: <c>dx_k (= or +=) w_k·dy</c>; always
    /// <c>dWeights[k] = ⟨x_k, dy⟩</c> (overwritten).</summary>
    /// <exception cref="ArgumentException">Counts differ or an array is shorter than dy.</exception>
    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, ReadOnlySpan<float> dy,
        IReadOnlyList<float[]?> dInputs, Span<float> dWeights, bool accumulate)
        => Backward(weights, FloatSegments.Of(inputs)!, dy, FloatSegments.Of(dInputs)!, dWeights, accumulate,
            SimdWidth.Best, null);

    /// <summary>As the array overload, on segments; a gradient segment without an array means no gradient for that
    /// input.</summary>
    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        ReadOnlySpan<float> dy, IReadOnlyList<ArraySegment<float>> dInputs, Span<float> dWeights, bool accumulate)
        => Backward(weights, inputs, dy, dInputs, dWeights, accumulate, SimdWidth.Best, null);

    /// <summary>As the public overload, at a chosen vector width (tests run every path) and with streaming stores
    /// forced on or off (null = by output size).</summary>
    internal static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, Span<float> output,
        SimdWidth width, bool? nonTemporal) =>
        Forward(weights, FloatSegments.Of(inputs)!, output, width, nonTemporal);

    internal static unsafe void Forward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        Span<float> output, SimdWidth width, bool? nonTemporal)
    {
        MixedOpValidation.Forward(weights, inputs, output.Length);
        int n = output.Length;
        int k = inputs.Count;
        if (n == 0)
        {
            return;
        }
        if (k == 0)
        {
            output.Clear();
            return;
        }
        using var pins = new PinnedArrays(inputs, stackalloc nint[Math.Min(k, StackInputs)],
            stackalloc nint[Math.Min(k, StackInputs)]);
        fixed (float* w = weights)
        fixed (float* y = output)
        {
            var job = t_forward ??= new ForwardJob();
            job.Inputs = (float**)pins.Pointers;
            job.Weights = w;
            job.Output = y;
            job.K = k;
            job.N = n;
            job.Width = SimdWidthResolver.Resolve(width);
            job.NonTemporal = nonTemporal ?? (long)n * sizeof(float) >= NonTemporalThresholdBytes;
            CpuParallel.For(ChunkCount(n), job.Body);
        }
    }

    /// <summary>As the public overload, at a chosen vector width (tests run every path) and with streaming stores
    /// forced on or off (null = by output size).</summary>
    internal static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs,
        ReadOnlySpan<float> dy, IReadOnlyList<float[]?> dInputs, Span<float> dWeights, bool accumulate,
        SimdWidth width, bool? nonTemporal) =>
        Backward(weights, FloatSegments.Of(inputs)!, dy, FloatSegments.Of(dInputs)!, dWeights, accumulate, width,
            nonTemporal);

    internal static unsafe void Backward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs,
        ReadOnlySpan<float> dy, IReadOnlyList<ArraySegment<float>> dInputs, Span<float> dWeights, bool accumulate,
        SimdWidth width, bool? nonTemporal)
    {
        MixedOpValidation.Backward(weights, inputs, dy.Length, dInputs, dWeights.Length);
        int n = dy.Length;
        int k = inputs.Count;
        if (k == 0)
        {
            return;
        }
        if (n == 0)
        {
            dWeights.Clear();
            return;
        }
        int chunks = ChunkCount(n);
        double[] partials = ArrayPool<double>.Shared.Rent(chunks * k);
        try
        {
            using var xPins = new PinnedArrays(inputs, stackalloc nint[Math.Min(k, StackInputs)],
                stackalloc nint[Math.Min(k, StackInputs)]);
            using var dxPins = new PinnedArrays(dInputs, stackalloc nint[Math.Min(k, StackInputs)],
                stackalloc nint[Math.Min(k, StackInputs)]);
            fixed (float* w = weights)
            fixed (float* g = dy)
            fixed (double* p = partials)
            {
                var job = t_backward ??= new BackwardJob();
                job.Inputs = (float**)xPins.Pointers;
                job.InputGradients = (float**)dxPins.Pointers;
                job.Weights = w;
                job.OutputGradient = g;
                job.Partials = p;
                job.K = k;
                job.N = n;
                job.Accumulate = accumulate;
                job.Width = SimdWidthResolver.Resolve(width);
                job.NonTemporal = nonTemporal ?? (long)n * sizeof(float) >= NonTemporalThresholdBytes;
                CpuParallel.For(chunks, job.Body);
            }
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int c = 0; c < chunks; c++)
                {
                    sum += partials[(c * k) + j];
                }
                dWeights[j] = (float)sum;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    private static int ChunkCount(int n) => (int)(((long)n + ChunkLength - 1) / ChunkLength);

    private static void Fence(bool nonTemporal)
    {
        // Streaming stores are weakly ordered: fence before another thread may read what this chunk wrote.
        if (nonTemporal && Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>One forward chunk: for each element, w_0·x_0 then fused multiply-adds in k order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardChunk<TV, TOps>(float** x, float* w, int k, float* y, int start, int end,
        bool nonTemporal)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        int i = start;
        if (nonTemporal)
        {
            // Peel with the scalar lane (same roundings) until y is vector-aligned, as streaming stores require.
            int misalign = (int)(((nuint)(y + i) / sizeof(float)) % (nuint)c);
            int peel = misalign == 0 ? 0 : Math.Min(c - misalign, end - i);
            ForwardScalar(x, w, k, y, i, i + peel);
            i += peel;
        }
        for (; i <= end - (4 * c); i += 4 * c)
        {
            TV w0 = TOps.Broadcast(w[0]);
            float* p = x[0] + i;
            TV a0 = TOps.Multiply(w0, TOps.Load(p));
            TV a1 = TOps.Multiply(w0, TOps.Load(p + c));
            TV a2 = TOps.Multiply(w0, TOps.Load(p + (2 * c)));
            TV a3 = TOps.Multiply(w0, TOps.Load(p + (3 * c)));
            for (int j = 1; j < k; j++)
            {
                TV wj = TOps.Broadcast(w[j]);
                p = x[j] + i;
                a0 = TOps.MultiplyAdd(wj, TOps.Load(p), a0);
                a1 = TOps.MultiplyAdd(wj, TOps.Load(p + c), a1);
                a2 = TOps.MultiplyAdd(wj, TOps.Load(p + (2 * c)), a2);
                a3 = TOps.MultiplyAdd(wj, TOps.Load(p + (3 * c)), a3);
            }
            if (nonTemporal)
            {
                TOps.StoreNonTemporal(y + i, a0);
                TOps.StoreNonTemporal(y + i + c, a1);
                TOps.StoreNonTemporal(y + i + (2 * c), a2);
                TOps.StoreNonTemporal(y + i + (3 * c), a3);
            }
            else
            {
                TOps.Store(y + i, a0);
                TOps.Store(y + i + c, a1);
                TOps.Store(y + i + (2 * c), a2);
                TOps.Store(y + i + (3 * c), a3);
            }
        }
        for (; i <= end - c; i += c)
        {
            TV a = TOps.Multiply(TOps.Broadcast(w[0]), TOps.Load(x[0] + i));
            for (int j = 1; j < k; j++)
            {
                a = TOps.MultiplyAdd(TOps.Broadcast(w[j]), TOps.Load(x[j] + i), a);
            }
            if (nonTemporal)
            {
                TOps.StoreNonTemporal(y + i, a);
            }
            else
            {
                TOps.Store(y + i, a);
            }
        }
        ForwardScalar(x, w, k, y, i, end);
    }

    private static unsafe void ForwardScalar(float** x, float* w, int k, float* y, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            float a = w[0] * x[0][i];
            for (int j = 1; j < k; j++)
            {
                a = MathF.FusedMultiplyAdd(w[j], x[j][i], a);
            }
            y[i] = a;
        }
    }

    /// <summary>One backward chunk: for each k in turn, stream x_k (and dx_k) against the chunk of dy, which stays
    /// in L2 across the K passes; the K partial dot products go to <paramref name="partials"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardChunk<TV, TOps>(float** x, float** dx, float* w, float* dy, int k, int start,
        int end, bool accumulate, bool nonTemporal, double* partials)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        for (int j = 0; j < k; j++)
        {
            float* xj = x[j];
            // Streaming stores need dx aligned, so with them dx is written in its own pass below, peeled to its
            // alignment; the dot product always runs over the same partition of [start, end). (Peeling the fused
            // loop made the α gradient's rounding depend on where the dx array happened to lie in memory.)
            bool separateStores = nonTemporal && dx[j] != null;
            float* dxj = separateStores ? null : dx[j];
            float wj = w[j];
            TV wv = TOps.Broadcast(wj);
            int i = start;
            double tail = 0;
            TV s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
            for (; i <= end - (4 * c); i += 4 * c)
            {
                TV g0 = TOps.Load(dy + i);
                TV g1 = TOps.Load(dy + i + c);
                TV g2 = TOps.Load(dy + i + (2 * c));
                TV g3 = TOps.Load(dy + i + (3 * c));
                s0 = TOps.MultiplyAdd(TOps.Load(xj + i), g0, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(xj + i + c), g1, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(xj + i + (2 * c)), g2, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(xj + i + (3 * c)), g3, s3);
                if (dxj == null)
                {
                    continue;
                }
                float* d = dxj + i;
                if (accumulate)
                {
                    g0 = TOps.MultiplyAdd(wv, g0, TOps.Load(d));
                    g1 = TOps.MultiplyAdd(wv, g1, TOps.Load(d + c));
                    g2 = TOps.MultiplyAdd(wv, g2, TOps.Load(d + (2 * c)));
                    g3 = TOps.MultiplyAdd(wv, g3, TOps.Load(d + (3 * c)));
                }
                else
                {
                    g0 = TOps.Multiply(wv, g0);
                    g1 = TOps.Multiply(wv, g1);
                    g2 = TOps.Multiply(wv, g2);
                    g3 = TOps.Multiply(wv, g3);
                }
                if (nonTemporal)
                {
                    TOps.StoreNonTemporal(d, g0);
                    TOps.StoreNonTemporal(d + c, g1);
                    TOps.StoreNonTemporal(d + (2 * c), g2);
                    TOps.StoreNonTemporal(d + (3 * c), g3);
                }
                else
                {
                    TOps.Store(d, g0);
                    TOps.Store(d + c, g1);
                    TOps.Store(d + (2 * c), g2);
                    TOps.Store(d + (3 * c), g3);
                }
            }
            for (; i <= end - c; i += c)
            {
                TV g = TOps.Load(dy + i);
                s0 = TOps.MultiplyAdd(TOps.Load(xj + i), g, s0);
                if (dxj != null)
                {
                    g = accumulate ? TOps.MultiplyAdd(wv, g, TOps.Load(dxj + i)) : TOps.Multiply(wv, g);
                    if (nonTemporal)
                    {
                        TOps.StoreNonTemporal(dxj + i, g);
                    }
                    else
                    {
                        TOps.Store(dxj + i, g);
                    }
                }
            }
            tail += BackwardScalar(xj, dxj, wj, dy, i, end, accumulate);
            float lanes = TOps.Sum(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)));
            partials[j] = lanes + tail;
            if (separateStores)
            {
                StreamScaled<TV, TOps>(dx[j], wv, wj, dy, start, end, accumulate);
            }
        }
    }

    /// <summary>dx (= or +=) w·dy over [start, end) with streaming stores, peeled to dx's vector alignment.</summary>
    private static unsafe void StreamScaled<TV, TOps>(float* dx, TV wv, float w, float* dy, int start, int end,
        bool accumulate)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        int i = start;
        int misalign = (int)(((nuint)(dx + i) / sizeof(float)) % (nuint)c);
        int peel = misalign == 0 ? 0 : Math.Min(c - misalign, end - i);
        for (int stop = i + peel; i < stop; i++)
        {
            dx[i] = accumulate ? MathF.FusedMultiplyAdd(w, dy[i], dx[i]) : w * dy[i];
        }
        for (; i <= end - c; i += c)
        {
            TV g = TOps.Load(dy + i);
            g = accumulate ? TOps.MultiplyAdd(wv, g, TOps.Load(dx + i)) : TOps.Multiply(wv, g);
            TOps.StoreNonTemporal(dx + i, g);
        }
        for (; i < end; i++)
        {
            dx[i] = accumulate ? MathF.FusedMultiplyAdd(w, dy[i], dx[i]) : w * dy[i];
        }
    }

    private static unsafe double BackwardScalar(float* x, float* dx, float w, float* dy, int start, int end,
        bool accumulate)
    {
        double dot = 0;
        for (int i = start; i < end; i++)
        {
            dot += (double)x[i] * dy[i];
            if (dx != null)
            {
                dx[i] = accumulate ? MathF.FusedMultiplyAdd(w, dy[i], dx[i]) : w * dy[i];
            }
        }
        return dot;
    }

    /// <summary>Per-calling-thread forward state with a cached body delegate, so a call allocates nothing.</summary>
    private sealed unsafe class ForwardJob
    {
        public float** Inputs;
        public float* Weights;
        public float* Output;
        public int K;
        public int N;
        public SimdWidth Width;
        public bool NonTemporal;

        public ForwardJob() => Body = Run;

        public Action<int> Body { get; }

        private void Run(int chunk)
        {
            int start = chunk * ChunkLength;
            int end = Math.Min(start + ChunkLength, N);
            switch (Width)
            {
                case SimdWidth.V512:
                    ForwardChunk<Vector512<float>, FloatOps512>(Inputs, Weights, K, Output, start, end, NonTemporal);
                    break;
                case SimdWidth.V256:
                    ForwardChunk<Vector256<float>, FloatOps256>(Inputs, Weights, K, Output, start, end, NonTemporal);
                    break;
                case SimdWidth.V128:
                    ForwardChunk<Vector128<float>, FloatOps128>(Inputs, Weights, K, Output, start, end, NonTemporal);
                    break;
                default:
                    ForwardScalar(Inputs, Weights, K, Output, start, end);
                    break;
            }
            Fence(NonTemporal);
        }
    }

    /// <summary>Per-calling-thread backward state with a cached body delegate, so a call allocates nothing.</summary>
    private sealed unsafe class BackwardJob
    {
        public float** Inputs;
        public float** InputGradients;
        public float* Weights;
        public float* OutputGradient;
        public double* Partials;
        public int K;
        public int N;
        public bool Accumulate;
        public SimdWidth Width;
        public bool NonTemporal;

        public BackwardJob() => Body = Run;

        public Action<int> Body { get; }

        private void Run(int chunk)
        {
            int start = chunk * ChunkLength;
            int end = Math.Min(start + ChunkLength, N);
            double* partials = Partials + ((long)chunk * K);
            switch (Width)
            {
                case SimdWidth.V512:
                    BackwardChunk<Vector512<float>, FloatOps512>(Inputs, InputGradients, Weights, OutputGradient, K,
                        start, end, Accumulate, NonTemporal, partials);
                    break;
                case SimdWidth.V256:
                    BackwardChunk<Vector256<float>, FloatOps256>(Inputs, InputGradients, Weights, OutputGradient, K,
                        start, end, Accumulate, NonTemporal, partials);
                    break;
                case SimdWidth.V128:
                    BackwardChunk<Vector128<float>, FloatOps128>(Inputs, InputGradients, Weights, OutputGradient, K,
                        start, end, Accumulate, NonTemporal, partials);
                    break;
                default:
                    BackwardChunk<float, FloatOpsScalar>(Inputs, InputGradients, Weights, OutputGradient, K,
                        start, end, Accumulate, NonTemporal, partials);
                    break;
            }
            Fence(NonTemporal);
        }
    }
}

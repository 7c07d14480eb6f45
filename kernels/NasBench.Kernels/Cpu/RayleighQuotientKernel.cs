using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Batched Rayleigh-quotient descent toward the smallest eigenpair of symmetric splitting matrices
/// (splitting.md §3): the quotient, one fused gradient step from an explicit S or from back-propagated products S·v,
/// and a multi-step <c>Iterate</c>.</summary>
/// <remarks>
/// Shapes: <c>s</c> is [batch, d, d] row-major and symmetric, <c>v</c> and <c>sv</c> are [batch, d], <c>lambda</c>
/// is [batch]; longer spans are allowed and their tails ignored. Each v must be non-zero (a zero v gives NaN).
/// <para>The update is that of splitting.md §3.3 with plain gradient descent: λ = vᵀu/vᵀv with u = S·v,
/// g = 2(u − λv)/vᵀv (the manual gradient of step 3), v ← v − η·g, then v ← v/‖v‖ (step 5). For unit v this is
/// v ← (I − 2η(S − λI))v, which converges to the smallest eigenvector when <c>η·(λ_max − λ_min) &lt; 1</c>;
/// <c>η = 1/(2‖S‖₂)</c> is always safe. The rate is set by the spectral gap, so a fixed iteration count reaches only
/// part of λ_min on matrices with a small gap (peers.md §4: 10 steps give 85–90 % on random matrices); the decaying
/// step and frozen-v estimate of §3.3–3.4 are the caller's choice (StepFromProducts is the §3.2 path).</para>
/// <para>Memory: S is symmetric, so the kernel reads only its upper triangle (row i from column i), half the bytes
/// of a full mat-vec; u = S·v is built in one pass from a row dot product (u_i) and a row axpy (u_j, j &gt; i).
/// <c>Iterate</c> runs all iterations on one matrix before the next, so for d up to ~2800 the later passes
/// hit the matrix in L2/L3 instead of DRAM. Each matrix is processed by one thread start to end, so results are
/// bit-identical at any thread count.</para>
/// </remarks>
public static class RayleighQuotientKernel
{
    /// <summary>Aim for at least this many matrix entries per parallel chunk (amortises dispatch for small d).</summary>
    private const int EntriesPerChunk = 1 << 16;

    private const int StackFloats = 8192;

    [ThreadStatic]
    private static Job? t_job;

    private enum Mode
    {
        Quotient,
        Step,
        StepFromProducts,
        Iterate,
    }

    /// <summary>λ_b = v_bᵀ S_b v_b / v_bᵀ v_b for each matrix of the batch.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape.</exception>
    public static void Quotient(int batch, int d, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> lambda)
        => Quotient(batch, d, s, v, lambda, SimdWidth.Best);

    /// <summary>One gradient step per matrix, fused into one pass over S: u = S·v, λ = vᵀu/vᵀv,
    /// g = 2(u − λv)/vᵀv, v ← v − η·g, v ← v/‖v‖. Writes the λ of the pre-update v.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape.</exception>
    public static void Step(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize, Span<float> lambda)
        => Step(batch, d, s, v, stepSize, lambda, SimdWidth.Best);

    /// <summary>The same step when the products u = S·v come from one back-propagation (splitting.md §3.2) instead
    /// of an explicit S. Writes the λ of the pre-update v.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape.</exception>
    public static void StepFromProducts(int batch, int d, Span<float> v, ReadOnlySpan<float> sv, float stepSize,
        Span<float> lambda)
    {
        RayleighQuotientValidation.Check(batch, d, (long)batch * d * d, v.Length, lambda.Length, nameof(sv));
        if (sv.Length < (long)batch * d)
        {
            throw new ArgumentException($"sv holds {sv.Length} floats, fewer than batch·d = {(long)batch * d}.",
                nameof(sv));
        }
        Run(Mode.StepFromProducts, batch, d, default, v, sv, stepSize, 1, lambda, SimdWidth.Best);
    }

    /// <summary><paramref name="iterations"/> calls of <see cref="Step(int, int, ReadOnlySpan{float}, Span{float},
    /// float, Span{float})"/>, matrix by matrix so S stays in cache between them, then λ of the final v (the
    /// frozen-v estimate splitting.md §3.4 recommends; it costs one more, cache-resident, pass).</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is negative.</exception>
    public static void Iterate(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize, int iterations,
        Span<float> lambda)
        => Iterate(batch, d, s, v, stepSize, iterations, lambda, SimdWidth.Best);

    internal static void Quotient(int batch, int d, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> lambda,
        SimdWidth width)
    {
        RayleighQuotientValidation.Check(batch, d, s.Length, v.Length, lambda.Length, nameof(s));
        // The quotient never writes v; the shared driver takes a Span only to share one code path.
        var vMutable = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(v), v.Length);
        Run(Mode.Quotient, batch, d, s, vMutable, default, 0f, 0, lambda, width);
    }

    internal static void Step(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize,
        Span<float> lambda, SimdWidth width)
    {
        RayleighQuotientValidation.Check(batch, d, s.Length, v.Length, lambda.Length, nameof(s));
        Run(Mode.Step, batch, d, s, v, default, stepSize, 1, lambda, width);
    }

    internal static void Iterate(int batch, int d, ReadOnlySpan<float> s, Span<float> v, float stepSize,
        int iterations, Span<float> lambda, SimdWidth width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        RayleighQuotientValidation.Check(batch, d, s.Length, v.Length, lambda.Length, nameof(s));
        Run(Mode.Iterate, batch, d, s, v, default, stepSize, iterations, lambda, width);
    }

    private static unsafe void Run(Mode mode, int batch, int d, ReadOnlySpan<float> s, Span<float> v,
        ReadOnlySpan<float> sv, float stepSize, int iterations, Span<float> lambda, SimdWidth width)
    {
        if (batch == 0 || d == 0)
        {
            lambda[..batch].Fill(float.NaN);
            return;
        }
        int perChunk = (int)Math.Clamp(EntriesPerChunk / ((long)d * d), 1, batch);
        int chunks = (batch + perChunk - 1) / perChunk;
        fixed (float* sp = s)
        fixed (float* vp = v)
        fixed (float* up = sv)
        fixed (float* lp = lambda)
        {
            var job = t_job ??= new Job();
            job.Mode = mode;
            job.S = sp;
            job.V = vp;
            job.Products = up;
            job.Lambda = lp;
            job.Batch = batch;
            job.D = d;
            job.StepSize = stepSize;
            job.Iterations = iterations;
            job.PerChunk = perChunk;
            job.Width = SimdWidthResolver.Resolve(width);
            CpuParallel.For(chunks, job.Body);
        }
    }

    /// <summary>u = S·v reading only the upper triangle of S: row i gives u_i its own dot product and adds
    /// S_ij·v_i to u_j for j &gt; i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SymmetricProduct<TV, TOps>(float* s, int d, float* v, float* u)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        new Span<float>(u, d).Clear();
        for (int i = 0; i < d; i++)
        {
            float* row = s + ((long)i * d);
            float vi = v[i];
            TV vib = TOps.Broadcast(vi);
            TV acc = TOps.Zero;
            int j = UpperStart<TV, TOps>(i, d);
            if (j <= i)
            {
                // Head vector straddles the diagonal: mask columns ≤ i (they belong to earlier rows' axpys).
                TV sv = TOps.KeepWhereGreater(TOps.Add(TOps.Indices, TOps.Broadcast(j)), TOps.Broadcast(i),
                    TOps.Load(row + j));
                acc = TOps.MultiplyAdd(sv, TOps.Load(v + j), acc);
                TOps.Store(u + j, TOps.MultiplyAdd(sv, vib, TOps.Load(u + j)));
                j += c;
            }
            for (; j <= d - c; j += c)
            {
                TV sv = TOps.Load(row + j);
                acc = TOps.MultiplyAdd(sv, TOps.Load(v + j), acc);
                TOps.Store(u + j, TOps.MultiplyAdd(sv, vib, TOps.Load(u + j)));
            }
            float dot = TOps.Sum(acc);
            for (; j < d; j++)
            {
                dot = MathF.FusedMultiplyAdd(row[j], v[j], dot);
                u[j] = MathF.FusedMultiplyAdd(row[j], vi, u[j]);
            }
            u[i] += MathF.FusedMultiplyAdd(row[i], vi, dot);
        }
    }

    /// <summary>vᵀSv = Σ_i v_i·(S_ii·v_i + 2·Σ_{j&gt;i} S_ij·v_j), upper triangle only; row totals summed in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double SymmetricQuadraticForm<TV, TOps>(float* s, int d, float* v)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        double total = 0;
        for (int i = 0; i < d; i++)
        {
            float* row = s + ((long)i * d);
            TV acc = TOps.Zero;
            int j = UpperStart<TV, TOps>(i, d);
            if (j <= i)
            {
                TV sv = TOps.KeepWhereGreater(TOps.Add(TOps.Indices, TOps.Broadcast(j)), TOps.Broadcast(i),
                    TOps.Load(row + j));
                acc = TOps.MultiplyAdd(sv, TOps.Load(v + j), acc);
                j += c;
            }
            for (; j <= d - c; j += c)
            {
                acc = TOps.MultiplyAdd(TOps.Load(row + j), TOps.Load(v + j), acc);
            }
            double dot = TOps.Sum(acc);
            for (; j < d; j++)
            {
                dot += (double)row[j] * v[j];
            }
            double vi = v[i];
            total += vi * ((row[i] * vi) + (2 * dot));
        }
        return total;
    }

    /// <summary>Where row i's upper part starts: the vector-aligned column at or below i + 1 when a full vector fits
    /// from there (then the caller masks columns ≤ i), else i + 1 (scalar or unmasked vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UpperStart<TV, TOps>(int i, int d)
        where TV : struct
        where TOps : struct, IFloatOps<TV>
    {
        int c = TOps.Count;
        int aligned = (i + 1) / c * c;
        return aligned < i + 1 && aligned + c <= d ? aligned : i + 1;
    }

    /// <summary>The O(d) tail of a step, in double: λ, gradient, move, renormalise. Returns λ of the old v.</summary>
    private static unsafe double Update(float* v, float* u, int d, float stepSize)
    {
        double vv = 0, vu = 0;
        for (int i = 0; i < d; i++)
        {
            vv += (double)v[i] * v[i];
            vu += (double)v[i] * u[i];
        }
        double lambda = vu / vv;
        double scale = 2.0 * stepSize / vv;
        double norm = 0;
        for (int i = 0; i < d; i++)
        {
            double next = v[i] - (scale * (u[i] - (lambda * v[i])));
            norm += next * next;
        }
        // Second sweep recomputes the move instead of keeping a double copy: d is small and this keeps it scratch-free.
        double inv = 1.0 / Math.Sqrt(norm);
        for (int i = 0; i < d; i++)
        {
            double next = v[i] - (scale * (u[i] - (lambda * v[i])));
            v[i] = (float)(next * inv);
        }
        return lambda;
    }

    private static unsafe double SquaredNorm(float* v, int d)
    {
        double vv = 0;
        for (int i = 0; i < d; i++)
        {
            vv += (double)v[i] * v[i];
        }
        return vv;
    }

    /// <summary>Per-calling-thread state with a cached body delegate, so a call allocates nothing.</summary>
    private sealed unsafe class Job
    {
        public Mode Mode;
        public float* S;
        public float* V;
        public float* Products;
        public float* Lambda;
        public int Batch;
        public int D;
        public float StepSize;
        public int Iterations;
        public int PerChunk;
        public SimdWidth Width;

        public Job() => Body = Run;

        public Action<int> Body { get; }

        private void Run(int chunk)
        {
            int first = chunk * PerChunk;
            int last = Math.Min(first + PerChunk, Batch);
            if (Mode == Mode.StepFromProducts)
            {
                for (int b = first; b < last; b++)
                {
                    Lambda[b] = (float)Update(V + ((long)b * D), Products + ((long)b * D), D, StepSize);
                }
                return;
            }
            float[]? rented = D > StackFloats ? ArrayPool<float>.Shared.Rent(D) : null;
            Span<float> scratch = rented ?? stackalloc float[D];
            fixed (float* u = scratch)
            {
                switch (Width)
                {
                    case SimdWidth.V512:
                        Matrices<Vector512<float>, FloatOps512>(first, last, u);
                        break;
                    case SimdWidth.V256:
                        Matrices<Vector256<float>, FloatOps256>(first, last, u);
                        break;
                    case SimdWidth.V128:
                        Matrices<Vector128<float>, FloatOps128>(first, last, u);
                        break;
                    default:
                        Matrices<float, FloatOpsScalar>(first, last, u);
                        break;
                }
            }
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        private void Matrices<TV, TOps>(int first, int last, float* u)
            where TV : struct
            where TOps : struct, IFloatOps<TV>
        {
            int d = D;
            for (int b = first; b < last; b++)
            {
                float* s = S + ((long)b * d * d);
                float* v = V + ((long)b * d);
                switch (Mode)
                {
                    case Mode.Quotient:
                        Lambda[b] = (float)(SymmetricQuadraticForm<TV, TOps>(s, d, v) / SquaredNorm(v, d));
                        break;
                    case Mode.Step:
                        SymmetricProduct<TV, TOps>(s, d, v, u);
                        Lambda[b] = (float)Update(v, u, d, StepSize);
                        break;
                    default:
                        for (int t = 0; t < Iterations; t++)
                        {
                            SymmetricProduct<TV, TOps>(s, d, v, u);
                            Update(v, u, d, StepSize);
                        }
                        Lambda[b] = (float)(SymmetricQuadraticForm<TV, TOps>(s, d, v) / SquaredNorm(v, d));
                        break;
                }
            }
        }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Pointwise (1×1, stride 1, unpadded, ungrouped) convolution without GEMM packing: forward, backward-data
/// and backward-weight.</summary>
/// <remarks>
/// Contract is that of <see cref="Conv2dReference"/> restricted to <see cref="Supports"/>: x [N, Cin, H·W],
/// w [Cout, Cin], y [N, Cout, H·W]. Per image the forward is Y = W·X and backward-data dX = Wᵀ·dY; with channel
/// counts of 8..128 these matrices are too small for packing to pay, so a tile of 4 output rows × 64 pixels keeps its
/// 16 accumulators in 512-bit registers while the input rows stream through, each weight broadcast straight from w
/// (row- or column-major, which is all Wᵀ changes). Rows past the last (Cout or Cin not a multiple of 4) recompute the
/// last row and are not stored; pixels past the last full vector are one vector overlapping the one before, stored
/// with a lane mask, so H·W must be at least 16. Backward-weight dW = Σₙ dYₙ·Xₙᵀ keeps per-lane sums over a fixed
/// chunk of images (4×4 weights, 16 registers), reduced once at the end: chunks are fixed by the batch size and added
/// in order, so results are bit-identical at any thread count. Sums are float in channel (or pixel) order, except
/// that the 16-pixel tiles sum even and odd channels apart.
/// </remarks>
public static unsafe class PointwiseConvKernel
{
    private const int V = 16;

    /// <summary>Fixed chunk count of backward-weight, as <see cref="Conv2dKernel"/>'s.</summary>
    private const int WeightChunks = 8;

    /// <summary>Pixels per backward-weight block: the 8 rows a 4×4 tile reads (32 KiB) stay in L1, and a tile's
    /// setup and lane-sum update (~100 instructions) are spread over up to 64 vectors of 16 FMAs.</summary>
    private const int WeightBlock = 1024;

    /// <summary>Set by tests and benchmarks to time or check <see cref="Conv2dKernel"/>'s GEMM path on a shape this
    /// kernel would take.</summary>
    [ThreadStatic]
    internal static bool t_forceGemm;

    /// <summary>Whether this kernel computes the shape: 1×1, stride 1, no padding, one group, H·W ≥ 16, and 512-bit
    /// vectors accelerated.</summary>
    public static bool Supports(in Conv2dShape s) =>
        Vector512.IsHardwareAccelerated && s.KernelH == 1 && s.KernelW == 1 && s.StrideH == 1 && s.StrideW == 1 &&
        s.PadH == 0 && s.PadW == 0 && s.Groups == 1 && (long)s.Height * s.Width >= V;

    /// <summary>The three passes, for <see cref="Prefers"/>.</summary>
    internal enum Pass
    {
        Forward,
        Data,
        Weight,
    }

    /// <summary>Whether <see cref="Conv2dKernel"/> hands the shape to this kernel: only where it measured faster than
    /// the GEMM path (<c>kernel-time 1 9 pw</c> in the benchmarks, thread CPU clock, two runs on the 2-core Xeon).
    /// </summary>
    /// <remarks>At 28×28 both paths are bound by memory (x and y stream once; a pass costs ~1.5 ReLU passes either way)
    /// and tie within noise, so the GEMM path keeps them. At 14×14 (one 64-pixel tile row set and a masked tail per
    /// image, all in L1) the direct forward and backward-data won by 10–30 %; at 7×7 the tail vector is a third of
    /// the work and GEMM won. Backward-weight's per-lane sums won only for tiny channel counts (8→8: 3×), lost from
    /// 32×32 on.</remarks>
    internal static bool Prefers(in Conv2dShape s, Pass pass)
    {
        if (t_forceGemm || !Supports(s))
        {
            return false;
        }
        long hw = (long)s.Height * s.Width;
        return pass switch
        {
            Pass.Weight => (long)s.InChannels * s.OutChannels <= 128,
            Pass.Data => hw is >= 128 and <= 256 && s.InChannels <= 128 && s.OutChannels <= 128,
            _ => hw is >= 128 and <= 256 && s.InChannels <= 64 && s.OutChannels <= 64,
        };
    }

    /// <summary>y = W·x + bias per image.</summary>
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y)
    {
        Check(s, x.Length, s.InputLength, nameof(x), w.Length, y.Length, s.OutputLength, nameof(y));
        if (!bias.IsEmpty && bias.Length != s.OutChannels)
        {
            throw new ArgumentException($"bias must be empty or hold {s.OutChannels} values, got {bias.Length}.",
                nameof(bias));
        }
        int cin = s.InChannels, cout = s.OutChannels, hw = s.Height * s.Width;
        bool withBias = !bias.IsEmpty;
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ba = (nint)pb, ya = (nint)py;
            CpuParallel.For(s.Batch, n =>
            {
                float* yn = (float*)ya + ((long)n * cout * hw);
                Multiply((float*)wa, cin, 1, cout, cin, (float*)xa + ((long)n * cin * hw), yn, hw, hw,
                    accumulate: false);
                if (withBias)
                {
                    for (int co = 0; co < cout; co++)
                    {
                        var plane = new Span<float>(yn + ((long)co * hw), hw);
                        System.Numerics.Tensors.TensorPrimitives.Add(plane, ((float*)ba)[co], plane);
                    }
                }
            });
        }
    }

    /// <summary>Columns per chunk of <see cref="ForwardColumns"/> and <see cref="BackwardDataColumns"/>: a multiple of
    /// the 64-pixel tile, 4 M multiply-adds per chunk at 64 × 64 channels.</summary>
    private const int ColumnChunk = 1024;

    /// <summary>y[cout, columns] = W · x[cin, columns]: a 1×1 convolution over batch-minor activations, whose one
    /// plane holds every image's pixels, cut into fixed chunks of columns for the threads.</summary>
    /// <remarks>Why not SGEMM: with 32–64 output channels a packed GEMM spends about as long packing x as
    /// multiplying it; here each x row streams straight from memory into a 4 × 64 register tile. A chunk shorter
    /// than a vector (the last) ends with one vector overlapping the chunk before, stored with a lane mask, so only
    /// its own columns are written. Needs <paramref name="columns"/> ≥ 16 and 512-bit vectors (<see cref="Supports"/>).
    /// </remarks>
    public static void ForwardColumns(int cout, int cin, int columns, ReadOnlySpan<float> w, ReadOnlySpan<float> x,
        Span<float> y)
    {
        var s = new Conv2dShape(1, cin, 1, columns, cout, 1, 1);
        Check(s, x.Length, s.InputLength, nameof(x), w.Length, y.Length, s.OutputLength, nameof(y));
        fixed (float* px = x, pw = w, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ya = (nint)py;
            CpuParallel.For((columns + ColumnChunk - 1) / ColumnChunk, chunk =>
            {
                int first = chunk * ColumnChunk, length = Math.Min(ColumnChunk, columns - first);
                Multiply((float*)wa, cin, 1, cout, cin, (float*)xa + first, (float*)ya + first, length, columns,
                    accumulate: false);
            });
        }
    }

    /// <summary>dx[cin, columns] (= or +=) Wᵀ · dy[cout, columns], chunked like <see cref="ForwardColumns"/>.
    /// </summary>
    public static void BackwardDataColumns(int cout, int cin, int columns, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> w, Span<float> dx, bool accumulate)
    {
        var s = new Conv2dShape(1, cin, 1, columns, cout, 1, 1);
        Check(s, dy.Length, s.OutputLength, nameof(dy), w.Length, dx.Length, s.InputLength, nameof(dx));
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx;
            CpuParallel.For((columns + ColumnChunk - 1) / ColumnChunk, chunk =>
            {
                int first = chunk * ColumnChunk, length = Math.Min(ColumnChunk, columns - first);
                Multiply((float*)wa, 1, cin, cin, cout, (float*)dya + first, (float*)dxa + first, length, columns,
                    accumulate);
            });
        }
    }

    /// <summary>Columns per partial product of <see cref="BackwardWeightColumns"/>: fixed, so the sums and their
    /// order depend only on the shape.</summary>
    private const int WeightColumnChunk = 2048;

    /// <summary>dw[cout, cin] (= or +=) dy[cout, columns] · x[cin, columns]ᵀ over batch-minor activations: one
    /// partial product per fixed chunk of columns, added in chunk order.</summary>
    /// <remarks>Why not one SGEMM: the product is 32–64 × 32–64 with 3 000–12 500 columns to sum over. SGEMM's grid
    /// cuts M and N, so at 2 threads every chunk packed its own copy of half of dy and half of x; cutting the
    /// columns instead packs each once, and the partials cost cout·cin adds per chunk.</remarks>
    public static void BackwardWeightColumns(int cout, int cin, int columns, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> x, Span<float> dw, bool accumulate)
    {
        // Any width works here (SGEMM does the products), so not Check's vector-width rules.
        if (cout < 1 || cin < 1 || columns < 1)
        {
            throw new ArgumentException($"BackwardWeightColumns needs positive sizes; got cout {cout}, cin {cin}, " +
                $"columns {columns}.");
        }
        ExpectLength(nameof(dy), dy.Length, (long)cout * columns, "cout · columns");
        ExpectLength(nameof(x), x.Length, (long)cin * columns, "cin · columns");
        ExpectLength(nameof(dw), dw.Length, (long)cout * cin, "cout · cin");
        int chunks = (columns + WeightColumnChunk - 1) / WeightColumnChunk, size = cout * cin;
        float[] partial = ArrayPool<float>.Shared.Rent(chunks * size);
        try
        {
            fixed (float* px = x, pdy = dy, pp = partial, pdw = dw)
            {
                nint xa = (nint)px, dya = (nint)pdy, pa = (nint)pp;
                CpuParallel.For(chunks, chunk =>
                {
                    int first = chunk * WeightColumnChunk, length = Math.Min(WeightColumnChunk, columns - first);
                    // Each operand's rows start a whole row apart and this chunk reads `length` of the last one.
                    var dyChunk = new ReadOnlySpan<float>((float*)dya + first, ((cout - 1) * columns) + length);
                    var xChunk = new ReadOnlySpan<float>((float*)xa + first, ((cin - 1) * columns) + length);
                    Sgemm.Multiply(false, true, cout, cin, length, 1f, dyChunk, columns, xChunk, columns, 0f,
                        new Span<float>((float*)pa + ((long)chunk * size), size), cin);
                });
                for (int i = 0; i < size; i++)
                {
                    float total = 0;
                    for (int c = 0; c < chunks; c++)
                    {
                        total += pp[((long)c * size) + i];
                    }
                    pdw[i] = accumulate ? pdw[i] + total : total;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    private static void ExpectLength(string name, int actual, long expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} must hold {what} = {expected} values, got {actual}.", name);
        }
    }

    /// <summary>dx (= or +=) Wᵀ·dy per image.</summary>
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate)
    {
        Check(s, dy.Length, s.OutputLength, nameof(dy), w.Length, dx.Length, s.InputLength, nameof(dx));
        int cin = s.InChannels, cout = s.OutChannels, hw = s.Height * s.Width;
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx;
            CpuParallel.For(s.Batch, n =>
                Multiply((float*)wa, 1, cin, cin, cout, (float*)dya + ((long)n * cout * hw),
                    (float*)dxa + ((long)n * cin * hw), hw, hw, accumulate));
        }
    }

    /// <summary>dw (= or +=) Σₙ dyₙ·xₙᵀ; dbias (= or +=) Σ dy when <paramref name="dbias"/> is not empty.</summary>
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate)
    {
        Check(s, x.Length, s.InputLength, nameof(x), dw.Length, dy.Length, s.OutputLength, nameof(dy));
        if (!dbias.IsEmpty && dbias.Length != s.OutChannels)
        {
            throw new ArgumentException($"dbias must be empty or hold {s.OutChannels} values, got {dbias.Length}.",
                nameof(dbias));
        }
        var shape = s;
        int cin = s.InChannels, cout = s.OutChannels, chunks = Math.Min(s.Batch, WeightChunks);
        int lanes = (cout * cin * V) + (cout * V);
        bool wantBias = !dbias.IsEmpty;
        float[] partial = ArrayPool<float>.Shared.Rent(chunks * lanes);
        try
        {
            fixed (float* px = x, pdy = dy, pp = partial, pdw = dw, pdb = dbias)
            {
                nint xa = (nint)px, dya = (nint)pdy, pa = (nint)pp;
                CpuParallel.For(chunks, chunk =>
                {
                    int n0 = (int)((long)shape.Batch * chunk / chunks);
                    int n1 = (int)((long)shape.Batch * (chunk + 1) / chunks);
                    WeightChunk(shape, n0, n1, (float*)xa, (float*)dya, (float*)pa + ((long)chunk * lanes),
                        wantBias);
                });
                // Lanes reduced, then chunks added in order: the same sums in the same order at any thread count.
                for (int i = 0; i < cout * cin; i++)
                {
                    float total = 0;
                    for (int c = 0; c < chunks; c++)
                    {
                        total += Vector512.Sum(Vector512.Load(pp + ((long)c * lanes) + ((long)i * V)));
                    }
                    pdw[i] = accumulate ? pdw[i] + total : total;
                }
                for (int co = 0; wantBias && co < cout; co++)
                {
                    float total = 0;
                    for (int c = 0; c < chunks; c++)
                    {
                        total += Vector512.Sum(Vector512.Load(pp + ((long)c * lanes) + ((cout * cin) + co) * V));
                    }
                    pdb[co] = accumulate ? pdb[co] + total : total;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>C[m, hw] (= or +=) A·B with A(i, k) at a[i·ars + k·acs] and B [kDim, hw] row-major.</summary>
    /// <summary>c[m, hw] (= or +=) a · b[kDim, hw], the rows of b and c <paramref name="ld"/> apart.</summary>
    private static void Multiply(float* a, int ars, int acs, int m, int kDim, float* b, float* c, int hw, int ld,
        bool accumulate)
    {
        int p = 0;
        // Pixel blocks outermost: a 64-pixel slice of B (kDim rows) stays in L1 while every row tile uses it.
        for (; p + (4 * V) <= hw; p += 4 * V)
        {
            for (int i = 0; i < m; i += 4)
            {
                Tile4(a, ars, acs, m, i, kDim, b + p, c + p, ld, accumulate);
            }
        }
        for (; p + V <= hw; p += V)
        {
            for (int i = 0; i < m; i += 4)
            {
                Tile1(a, ars, acs, m, i, kDim, b + p, c + p, ld, accumulate, Vector512<float>.AllBitsSet);
            }
        }
        if (p < hw)
        {
            // One vector ending at the last pixel; lanes the loops above already wrote are masked off the store.
            int start = hw - V;
            var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices + Vector512.Create(start),
                Vector512.Create(p)).AsSingle();
            for (int i = 0; i < m; i += 4)
            {
                Tile1(a, ars, acs, m, i, kDim, b + start, c + start, ld, accumulate, fresh);
            }
        }
    }

    /// <summary>Rows i..i+3 (clamped to m; clamped rows not stored) × 64 pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4(float* a, int ars, int acs, int m, int i, int kDim, float* b, float* c, int ld,
        bool accumulate)
    {
        float* a0 = a + ((long)i * ars), a1 = a + ((long)Math.Min(i + 1, m - 1) * ars);
        float* a2 = a + ((long)Math.Min(i + 2, m - 1) * ars), a3 = a + ((long)Math.Min(i + 3, m - 1) * ars);
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        for (int k = 0; k < kDim; k++)
        {
            float* bk = b + ((long)k * ld);
            long ak = (long)k * acs;
            var b0 = Vector512.Load(bk);
            var b1 = Vector512.Load(bk + V);
            var b2 = Vector512.Load(bk + (2 * V));
            var b3 = Vector512.Load(bk + (3 * V));
            var w = Vector512.Create(a0[ak]);
            c00 = Vector512.FusedMultiplyAdd(b0, w, c00);
            c01 = Vector512.FusedMultiplyAdd(b1, w, c01);
            c02 = Vector512.FusedMultiplyAdd(b2, w, c02);
            c03 = Vector512.FusedMultiplyAdd(b3, w, c03);
            w = Vector512.Create(a1[ak]);
            c10 = Vector512.FusedMultiplyAdd(b0, w, c10);
            c11 = Vector512.FusedMultiplyAdd(b1, w, c11);
            c12 = Vector512.FusedMultiplyAdd(b2, w, c12);
            c13 = Vector512.FusedMultiplyAdd(b3, w, c13);
            w = Vector512.Create(a2[ak]);
            c20 = Vector512.FusedMultiplyAdd(b0, w, c20);
            c21 = Vector512.FusedMultiplyAdd(b1, w, c21);
            c22 = Vector512.FusedMultiplyAdd(b2, w, c22);
            c23 = Vector512.FusedMultiplyAdd(b3, w, c23);
            w = Vector512.Create(a3[ak]);
            c30 = Vector512.FusedMultiplyAdd(b0, w, c30);
            c31 = Vector512.FusedMultiplyAdd(b1, w, c31);
            c32 = Vector512.FusedMultiplyAdd(b2, w, c32);
            c33 = Vector512.FusedMultiplyAdd(b3, w, c33);
        }
        StoreRow(c + ((long)i * ld), c00, c01, c02, c03, accumulate);
        if (i + 1 < m)
        {
            StoreRow(c + ((long)(i + 1) * ld), c10, c11, c12, c13, accumulate);
        }
        if (i + 2 < m)
        {
            StoreRow(c + ((long)(i + 2) * ld), c20, c21, c22, c23, accumulate);
        }
        if (i + 3 < m)
        {
            StoreRow(c + ((long)(i + 3) * ld), c30, c31, c32, c33, accumulate);
        }
    }

    /// <summary>Rows i..i+3 (clamped) × 16 pixels, stored where <paramref name="store"/> is set.</summary>
    private static void Tile1(float* a, int ars, int acs, int m, int i, int kDim, float* b, float* c, int ld,
        bool accumulate, Vector512<float> store)
    {
        float* a0 = a + ((long)i * ars), a1 = a + ((long)Math.Min(i + 1, m - 1) * ars);
        float* a2 = a + ((long)Math.Min(i + 2, m - 1) * ars), a3 = a + ((long)Math.Min(i + 3, m - 1) * ars);
        // Even and odd k in separate accumulators: 8 FMA chains, enough to hide the FMA latency on two ports.
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default;
        int k = 0;
        for (; k + 1 < kDim; k += 2)
        {
            long ak = (long)k * acs;
            var bv = Vector512.Load(b + ((long)k * ld));
            var bw = Vector512.Load(b + ((long)(k + 1) * ld));
            c0 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a0[ak]), c0);
            c1 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a1[ak]), c1);
            c2 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a2[ak]), c2);
            c3 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a3[ak]), c3);
            e0 = Vector512.FusedMultiplyAdd(bw, Vector512.Create(a0[ak + acs]), e0);
            e1 = Vector512.FusedMultiplyAdd(bw, Vector512.Create(a1[ak + acs]), e1);
            e2 = Vector512.FusedMultiplyAdd(bw, Vector512.Create(a2[ak + acs]), e2);
            e3 = Vector512.FusedMultiplyAdd(bw, Vector512.Create(a3[ak + acs]), e3);
        }
        if (k < kDim)
        {
            long ak = (long)k * acs;
            var bv = Vector512.Load(b + ((long)k * ld));
            c0 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a0[ak]), c0);
            c1 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a1[ak]), c1);
            c2 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a2[ak]), c2);
            c3 = Vector512.FusedMultiplyAdd(bv, Vector512.Create(a3[ak]), c3);
        }
        c0 += e0;
        c1 += e1;
        c2 += e2;
        c3 += e3;
        StoreMasked(c + ((long)i * ld), c0, accumulate, store);
        if (i + 1 < m)
        {
            StoreMasked(c + ((long)(i + 1) * ld), c1, accumulate, store);
        }
        if (i + 2 < m)
        {
            StoreMasked(c + ((long)(i + 2) * ld), c2, accumulate, store);
        }
        if (i + 3 < m)
        {
            StoreMasked(c + ((long)(i + 3) * ld), c3, accumulate, store);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2,
        Vector512<float> v3, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + V);
            v2 += Vector512.Load(c + (2 * V));
            v3 += Vector512.Load(c + (3 * V));
        }
        v0.Store(c);
        v1.Store(c + V);
        v2.Store(c + (2 * V));
        v3.Store(c + (3 * V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector512<float> v, bool accumulate, Vector512<float> store)
    {
        var old = Vector512.Load(c);
        Vector512.ConditionalSelect(store, accumulate ? old + v : v, old).Store(c);
    }

    /// <summary>Per-lane sums of dW (and dbias) over images [n0, n1) into this chunk's partial
    /// ([Cout·Cin + Cout] × 16 lanes), in image then pixel order.</summary>
    private static void WeightChunk(in Conv2dShape s, int n0, int n1, float* x, float* dy, float* partial,
        bool wantBias)
    {
        int cin = s.InChannels, cout = s.OutChannels, hw = s.Height * s.Width;
        float* biasLanes = partial + ((long)cout * cin * V);
        new Span<float>(partial, (cout * cin * V) + (cout * V)).Clear();
        for (int n = n0; n < n1; n++)
        {
            float* xn = x + ((long)n * cin * hw), dyn = dy + ((long)n * cout * hw);
            for (int p0 = 0; p0 < hw; p0 += WeightBlock)
            {
                int p1 = Math.Min(hw, p0 + WeightBlock);
                for (int co = 0; co < cout; co += 4)
                {
                    for (int ci = 0; ci < cin; ci += 4)
                    {
                        WeightTile(s, xn, dyn, partial, co, ci, p0, p1);
                    }
                    if (wantBias)
                    {
                        BiasTile(s, dyn, biasLanes, co, p0, p1);
                    }
                }
            }
        }
    }

    /// <summary>Lane sums of dy[co..co+3]·x[ci..ci+3]ᵀ over pixels [p0, p1), added into the partial; rows or columns
    /// past the last are clamped and not stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightTile(in Conv2dShape s, float* x, float* dy, float* partial, int co, int ci, int p0,
        int p1)
    {
        int cin = s.InChannels, cout = s.OutChannels, hw = s.Height * s.Width;
        float* d0 = dy + ((long)co * hw), d1 = dy + ((long)Math.Min(co + 1, cout - 1) * hw);
        float* d2 = dy + ((long)Math.Min(co + 2, cout - 1) * hw), d3 = dy + ((long)Math.Min(co + 3, cout - 1) * hw);
        float* x0 = x + ((long)ci * hw), x1 = x + ((long)Math.Min(ci + 1, cin - 1) * hw);
        float* x2 = x + ((long)Math.Min(ci + 2, cin - 1) * hw), x3 = x + ((long)Math.Min(ci + 3, cin - 1) * hw);
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        int p = p0;
        for (; p + V <= p1; p += V)
        {
            Vector512<float> e0 = Vector512.Load(d0 + p), e1 = Vector512.Load(d1 + p);
            Vector512<float> e2 = Vector512.Load(d2 + p), e3 = Vector512.Load(d3 + p);
            Vector512<float> y0 = Vector512.Load(x0 + p), y1 = Vector512.Load(x1 + p);
            Vector512<float> y2 = Vector512.Load(x2 + p), y3 = Vector512.Load(x3 + p);
            s00 = Vector512.FusedMultiplyAdd(e0, y0, s00);
            s01 = Vector512.FusedMultiplyAdd(e0, y1, s01);
            s02 = Vector512.FusedMultiplyAdd(e0, y2, s02);
            s03 = Vector512.FusedMultiplyAdd(e0, y3, s03);
            s10 = Vector512.FusedMultiplyAdd(e1, y0, s10);
            s11 = Vector512.FusedMultiplyAdd(e1, y1, s11);
            s12 = Vector512.FusedMultiplyAdd(e1, y2, s12);
            s13 = Vector512.FusedMultiplyAdd(e1, y3, s13);
            s20 = Vector512.FusedMultiplyAdd(e2, y0, s20);
            s21 = Vector512.FusedMultiplyAdd(e2, y1, s21);
            s22 = Vector512.FusedMultiplyAdd(e2, y2, s22);
            s23 = Vector512.FusedMultiplyAdd(e2, y3, s23);
            s30 = Vector512.FusedMultiplyAdd(e3, y0, s30);
            s31 = Vector512.FusedMultiplyAdd(e3, y1, s31);
            s32 = Vector512.FusedMultiplyAdd(e3, y2, s32);
            s33 = Vector512.FusedMultiplyAdd(e3, y3, s33);
        }
        if (p < p1)
        {
            // The image's last pixels: one vector ending at hw, x zeroed on the lanes already summed.
            int start = hw - V;
            var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices + Vector512.Create(start),
                Vector512.Create(p)).AsSingle();
            Vector512<float> e0 = Vector512.Load(d0 + start), e1 = Vector512.Load(d1 + start);
            Vector512<float> e2 = Vector512.Load(d2 + start), e3 = Vector512.Load(d3 + start);
            Vector512<float> y0 = Vector512.Load(x0 + start) & fresh, y1 = Vector512.Load(x1 + start) & fresh;
            Vector512<float> y2 = Vector512.Load(x2 + start) & fresh, y3 = Vector512.Load(x3 + start) & fresh;
            s00 = Vector512.FusedMultiplyAdd(e0, y0, s00);
            s01 = Vector512.FusedMultiplyAdd(e0, y1, s01);
            s02 = Vector512.FusedMultiplyAdd(e0, y2, s02);
            s03 = Vector512.FusedMultiplyAdd(e0, y3, s03);
            s10 = Vector512.FusedMultiplyAdd(e1, y0, s10);
            s11 = Vector512.FusedMultiplyAdd(e1, y1, s11);
            s12 = Vector512.FusedMultiplyAdd(e1, y2, s12);
            s13 = Vector512.FusedMultiplyAdd(e1, y3, s13);
            s20 = Vector512.FusedMultiplyAdd(e2, y0, s20);
            s21 = Vector512.FusedMultiplyAdd(e2, y1, s21);
            s22 = Vector512.FusedMultiplyAdd(e2, y2, s22);
            s23 = Vector512.FusedMultiplyAdd(e2, y3, s23);
            s30 = Vector512.FusedMultiplyAdd(e3, y0, s30);
            s31 = Vector512.FusedMultiplyAdd(e3, y1, s31);
            s32 = Vector512.FusedMultiplyAdd(e3, y2, s32);
            s33 = Vector512.FusedMultiplyAdd(e3, y3, s33);
        }
        float* row = partial + ((((long)co * cin) + ci) * V);
        long rowStride = (long)cin * V;
        AddLanes(row, ci, cin, s00, s01, s02, s03);
        if (co + 1 < cout)
        {
            AddLanes(row + rowStride, ci, cin, s10, s11, s12, s13);
        }
        if (co + 2 < cout)
        {
            AddLanes(row + (2 * rowStride), ci, cin, s20, s21, s22, s23);
        }
        if (co + 3 < cout)
        {
            AddLanes(row + (3 * rowStride), ci, cin, s30, s31, s32, s33);
        }

    }

    /// <summary>Adds the lane sums of weights (co, ci..ci+3) into their partial rows, the columns that exist.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLanes(float* row, int ci, int cin, Vector512<float> v0, Vector512<float> v1,
        Vector512<float> v2, Vector512<float> v3)
    {
        (Vector512.Load(row) + v0).Store(row);
        if (ci + 1 < cin)
        {
            (Vector512.Load(row + V) + v1).Store(row + V);
        }
        if (ci + 2 < cin)
        {
            (Vector512.Load(row + (2 * V)) + v2).Store(row + (2 * V));
        }
        if (ci + 3 < cin)
        {
            (Vector512.Load(row + (3 * V)) + v3).Store(row + (3 * V));
        }
    }

    /// <summary>Lane sums of dy rows co..co+3 (those that exist) over pixels [p0, p1).</summary>
    private static void BiasTile(in Conv2dShape s, float* dy, float* biasLanes, int co, int p0, int p1)
    {
        int hw = s.Height * s.Width;
        for (int r = co; r < Math.Min(co + 4, s.OutChannels); r++)
        {
            float* d = dy + ((long)r * hw);
            var sum = Vector512<float>.Zero;
            int p = p0;
            for (; p + V <= p1; p += V)
            {
                sum += Vector512.Load(d + p);
            }
            if (p < p1)
            {
                int start = hw - V;
                var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices + Vector512.Create(start),
                    Vector512.Create(p)).AsSingle();
                sum += Vector512.Load(d + start) & fresh;
            }
            float* lanes = biasLanes + ((long)r * V);
            (Vector512.Load(lanes) + sum).Store(lanes);
        }
    }

    private static void Check(in Conv2dShape s, int dataLength, int dataExpected, string dataName, int wLength,
        int outLength, int outExpected, string outName)
    {
        s.Validate();
        if (!Supports(s))
        {
            throw new ArgumentException(
                $"PointwiseConvKernel takes 1×1, stride 1, unpadded, ungrouped convolutions over at least {V} pixels " +
                $"with 512-bit vectors accelerated; got {s}.");
        }
        if (dataLength < dataExpected)
        {
            throw new ArgumentException($"{dataName} holds {dataLength} values; the shape needs {dataExpected}.",
                dataName);
        }
        if (wLength < s.WeightLength)
        {
            throw new ArgumentException($"w holds {wLength} values; the shape needs {s.WeightLength}.",
                nameof(wLength));
        }
        if (outLength < outExpected)
        {
            throw new ArgumentException($"{outName} holds {outLength} values; the shape needs {outExpected}.", outName);
        }
    }
}

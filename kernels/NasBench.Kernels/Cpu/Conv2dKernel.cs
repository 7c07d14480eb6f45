using System.Buffers;
using System.Numerics.Tensors;
using NasBench.Kernels.Cpu.Gemm;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Dense (and grouped) convolution forward, backward-data and backward-weight.</summary>
/// <remarks>
/// Contract is that of <see cref="Conv2dReference"/>: x [N, Cin, H, W], w [Cout, Cin/G, KH, KW], bias [Cout] or
/// empty, y [N, Cout, OH, OW]; any kernel, stride, padding, dilation and groups. Per image, per group and per band of
/// output rows (col kept under <see cref="BandFloats"/> floats): im2col into pooled scratch, then
/// <see cref="Sgemm"/> with W[CoutG, CinG·KH·KW]; 1×1, stride-1, unpadded convolutions use x itself as col.
/// Threads take images; backward-weight sums each fixed chunk of images into its own partial and adds the partials in
/// chunk order, so results are bit-identical at any thread count.
/// With <c>reluInput</c> the convolution reads relu(x) (DARTS's ReLU → conv blocks) without relu(x) ever being
/// written: the GEMM applies the ReLU to the col matrix's packed panels (<c>Sgemm.Multiply(…, reluB: true)</c>; relu
/// commutes with im2col, padding being zero); backward-data computes each image's gradient into scratch and merges it
/// into dx where x &gt; 0. Shapes that <see cref="PointwiseConvKernel"/> takes keep taking it, on a materialised
/// relu(x). Results are bit-identical to running the same kernels on a materialised relu(x) and masking the gradient.
/// </remarks>
public static unsafe class Conv2dKernel
{
    /// <summary>Upper bound on one im2col band (512 KiB): half of this machine's per-core L2.</summary>
    internal const int BandFloats = 128 * 1024;

    /// <summary>Fixed chunk count of backward-weight (at most one chunk per image).</summary>
    private const int WeightChunks = 8;

    /// <summary>y = conv(x, w) + bias.</summary>
    /// <param name="reluInput">Convolve relu(x) instead of x.</param>
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, w.Length);
        CheckLength(y.Length, s.OutputLength, nameof(y));
        if (!bias.IsEmpty && bias.Length != s.OutChannels)
        {
            throw new ArgumentException($"bias must be empty or hold {s.OutChannels} values, got {bias.Length}.",
                nameof(bias));
        }
        if (PointwiseConvKernel.Prefers(s, PointwiseConvKernel.Pass.Forward))
        {
            if (reluInput)
            {
                float[] relu = RentRelu(x, s.InputLength);
                try
                {
                    PointwiseConvKernel.Forward(s, relu.AsSpan(0, s.InputLength), w, bias, y);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(relu);
                }
            }
            else
            {
                PointwiseConvKernel.Forward(s, x, w, bias, y);
            }
            return;
        }
        var shape = s;
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ba = bias.IsEmpty ? 0 : (nint)pb, ya = (nint)py;
            CpuParallel.For(s.Batch, n => ForwardImage(shape, n, (float*)xa, (float*)wa, (float*)ba, (float*)ya,
                reluInput));
        }
    }

    /// <summary>dx (= or +=) the gradient of the forward pass with respect to x.</summary>
    /// <param name="reluInputOf">Empty, or the x of a forward with a fused input ReLU: dx is then the gradient with
    /// respect to that x (zero where x ≤ 0).</param>
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate, ReadOnlySpan<float> reluInputOf = default)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, dy.Length, nameof(dy), s.OutputLength, w.Length);
        CheckLength(dx.Length, s.InputLength, nameof(dx));
        bool relu = !reluInputOf.IsEmpty;
        if (relu)
        {
            CheckLength(reluInputOf.Length, s.InputLength, nameof(reluInputOf));
        }
        if (PointwiseConvKernel.Prefers(s, PointwiseConvKernel.Pass.Data))
        {
            if (relu)
            {
                float[] through = ArrayPool<float>.Shared.Rent(s.InputLength);
                try
                {
                    PointwiseConvKernel.BackwardData(s, dy, w, through.AsSpan(0, s.InputLength), false);
                    ActivationKernel.ReluBackward(reluInputOf[..s.InputLength], through.AsSpan(0, s.InputLength), dx,
                        accumulate);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(through);
                }
            }
            else
            {
                PointwiseConvKernel.BackwardData(s, dy, w, dx, accumulate);
            }
            return;
        }
        var shape = s;
        fixed (float* pdy = dy, pw = w, pdx = dx, pm = reluInputOf)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx, ma = (nint)pm;
            CpuParallel.For(s.Batch, n =>
            {
                long xImage = (long)n * shape.InChannels * shape.Height * shape.Width;
                float* dyn = (float*)dya + ((long)n * shape.OutChannels * shape.OutHeight * shape.OutWidth);
                if (relu)
                {
                    BackwardDataMasked(shape, dyn, (float*)wa, (float*)dxa + xImage, accumulate, (float*)ma + xImage);
                }
                else
                {
                    BackwardDataImage(shape, dyn, (float*)wa, (float*)dxa + xImage, accumulate);
                }
            });
        }
    }

    /// <summary>dw (= or +=) Σ dy·x (Σ dy·relu(x) with <paramref name="reluInput"/>); dbias (= or +=) Σ dy when
    /// <paramref name="dbias"/> is not empty.</summary>
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, dw.Length);
        CheckLength(dy.Length, s.OutputLength, nameof(dy));
        if (!dbias.IsEmpty && dbias.Length != s.OutChannels)
        {
            throw new ArgumentException($"dbias must be empty or hold {s.OutChannels} values, got {dbias.Length}.",
                nameof(dbias));
        }
        if (PointwiseConvKernel.Prefers(s, PointwiseConvKernel.Pass.Weight))
        {
            if (reluInput)
            {
                float[] relu = RentRelu(x, s.InputLength);
                try
                {
                    PointwiseConvKernel.BackwardWeight(s, relu.AsSpan(0, s.InputLength), dy, dw, dbias, accumulate);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(relu);
                }
            }
            else
            {
                PointwiseConvKernel.BackwardWeight(s, x, dy, dw, dbias, accumulate);
            }
            return;
        }
        var shape = s;
        int chunks = Math.Min(s.Batch, WeightChunks), wl = s.WeightLength, stride = wl + s.OutChannels;
        bool wantBias = !dbias.IsEmpty;
        float[] partial = ArrayPool<float>.Shared.Rent(chunks * stride);
        try
        {
            fixed (float* px = x, pdy = dy, pp = partial)
            {
                nint xa = (nint)px, dya = (nint)pdy, pa = (nint)pp;
                CpuParallel.For(chunks, chunk =>
                {
                    int n0 = (int)((long)shape.Batch * chunk / chunks);
                    int n1 = (int)((long)shape.Batch * (chunk + 1) / chunks);
                    WeightChunk(shape, n0, n1, (float*)xa, (float*)dya, (float*)pa + ((long)chunk * stride),
                        wantBias, reluInput);
                });
            }
            // Partials added in chunk order: the same sums in the same order at any thread count.
            var p0 = new ReadOnlySpan<float>(partial, 0, wl);
            var dwOut = dw[..wl];
            if (accumulate)
            {
                TensorPrimitives.Add(dwOut, p0, dwOut);
            }
            else
            {
                p0.CopyTo(dwOut);
            }
            for (int c = 1; c < chunks; c++)
            {
                TensorPrimitives.Add(dwOut, new ReadOnlySpan<float>(partial, c * stride, wl), dwOut);
            }
            if (wantBias)
            {
                var db = dbias[..s.OutChannels];
                if (!accumulate)
                {
                    db.Clear();
                }
                for (int c = 0; c < chunks; c++)
                {
                    TensorPrimitives.Add(db, new ReadOnlySpan<float>(partial, (c * stride) + wl, s.OutChannels), db);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>relu(x) materialised in an array rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it)
    /// </summary>
    /// <remarks>For the shapes <see cref="PointwiseConvKernel"/> takes: it takes them unfused, so a fused pass
    /// materialises relu(x) and lets it take them too, which gives the unfused sums bit for bit and costs what the
    /// unfused ReLU did.</remarks>
    private static float[] RentRelu(ReadOnlySpan<float> x, int length)
    {
        float[] relu = ArrayPool<float>.Shared.Rent(length);
        ActivationKernel.Relu(x[..length], relu.AsSpan(0, length));
        return relu;
    }

    /// <summary>1×1, stride 1, no padding: x itself is the col matrix.</summary>
    private static bool IsPointwise(in Conv2dShape s) =>
        s.KernelH == 1 && s.KernelW == 1 && s.StrideH == 1 && s.StrideW == 1 && s.PadH == 0 && s.PadW == 0;

    /// <summary>Output rows per im2col band: as many as fit in <see cref="BandFloats"/>, at least one.</summary>
    private static int BandRows(in Conv2dShape s)
    {
        long rowFloats = (long)(s.InChannels / s.Groups) * s.KernelH * s.KernelW * s.OutWidth;
        return (int)Math.Clamp(BandFloats / rowFloats, 1, s.OutHeight);
    }

    private static int ColFloats(in Conv2dShape s) =>
        IsPointwise(s) ? 0 : BandRows(s) * s.OutWidth * (s.InChannels / s.Groups) * s.KernelH * s.KernelW;

    private static float[]? RentCol(in Conv2dShape s) =>
        IsPointwise(s) ? null : ArrayPool<float>.Shared.Rent(ColFloats(s));

    /// <summary><see cref="Sgemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int,
    /// ReadOnlySpan{float}, int, float, Span{float}, int)"/>, with op(B) through max(·, 0) where
    /// <paramref name="reluB"/>.</summary>
    private static void Gemm(bool reluB, bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm.Multiply(GemmPath.Auto, transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc, reluB);

    private static void ForwardImage(in Conv2dShape s, int n, float* x, float* w, float* bias, float* y, bool relu)
    {
        int cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        int kg = cinG * s.KernelH * s.KernelW, hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth;
        float[]? colArray = RentCol(s);
        try
        {
            fixed (float* col = colArray)
            {
                for (int g = 0; g < s.Groups; g++)
                {
                    float* xg = x + ((((long)n * s.InChannels) + (g * cinG)) * hw);
                    float* yg = y + ((((long)n * s.OutChannels) + (g * coutG)) * ohw);
                    var wg = new ReadOnlySpan<float>(w + ((long)g * coutG * kg), coutG * kg);
                    if (col == null)
                    {
                        Gemm(relu, false, false, coutG, hw, cinG, wg, kg, Span(xg, cinG, hw, hw), hw, 0f,
                            Span(yg, coutG, hw, hw), hw);
                        continue;
                    }
                    int band = BandRows(s);
                    for (int oy0 = 0; oy0 < s.OutHeight; oy0 += band)
                    {
                        int oy1 = Math.Min(s.OutHeight, oy0 + band), cols = (oy1 - oy0) * s.OutWidth;
                        Im2Col.Gather(s, cinG, xg, oy0, oy1, col);
                        Gemm(relu, false, false, coutG, cols, kg, wg, kg, Span(col, kg, cols, cols), cols, 0f,
                            Span(yg + ((long)oy0 * s.OutWidth), coutG, cols, ohw), ohw);
                    }
                }
            }
        }
        finally
        {
            if (colArray != null)
            {
                ArrayPool<float>.Shared.Return(colArray);
            }
        }
        if (bias != null)
        {
            for (int co = 0; co < s.OutChannels; co++)
            {
                var plane = new Span<float>(y + ((((long)n * s.OutChannels) + co) * ohw), ohw);
                TensorPrimitives.Add(plane, bias[co], plane);
            }
        }
    }

    /// <summary>One image: <paramref name="dx"/> and <paramref name="dy"/> point at its planes.</summary>
    private static void BackwardDataImage(in Conv2dShape s, float* dy, float* w, float* dx, bool accumulate)
    {
        int cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        int kg = cinG * s.KernelH * s.KernelW, hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth;
        float[]? colArray = RentCol(s);
        try
        {
            fixed (float* col = colArray)
            {
                if (col != null && !accumulate)
                {
                    new Span<float>(dx, s.InChannels * hw).Clear();
                }
                for (int g = 0; g < s.Groups; g++)
                {
                    float* dxg = dx + ((long)g * cinG * hw);
                    float* dyg = dy + ((long)g * coutG * ohw);
                    var wg = new ReadOnlySpan<float>(w + ((long)g * coutG * kg), coutG * kg);
                    if (col == null)
                    {
                        Sgemm.Multiply(true, false, cinG, hw, coutG, 1f, wg, kg, Span(dyg, coutG, hw, hw), hw,
                            accumulate ? 1f : 0f, Span(dxg, cinG, hw, hw), hw);
                        continue;
                    }
                    int band = BandRows(s);
                    for (int oy0 = 0; oy0 < s.OutHeight; oy0 += band)
                    {
                        int oy1 = Math.Min(s.OutHeight, oy0 + band), cols = (oy1 - oy0) * s.OutWidth;
                        Sgemm.Multiply(true, false, kg, cols, coutG, 1f, wg, kg,
                            Span(dyg + ((long)oy0 * s.OutWidth), coutG, cols, ohw), ohw, 0f,
                            new Span<float>(col, kg * cols), cols);
                        Im2Col.ScatterAdd(s, cinG, col, oy0, oy1, dxg);
                    }
                }
            }
        }
        finally
        {
            if (colArray != null)
            {
                ArrayPool<float>.Shared.Return(colArray);
            }
        }
    }

    /// <summary>One image of backward-data through a fused input ReLU: the gradient with respect to relu(x) goes to
    /// scratch (one image's planes, in cache), then into dx (= or +=) where x &gt; 0 — the arithmetic of an unfused
    /// convolution backward followed by the ReLU's.</summary>
    private static void BackwardDataMasked(in Conv2dShape s, float* dy, float* w, float* dx, bool accumulate, float* x)
    {
        int count = s.InChannels * s.Height * s.Width;
        float[] scratch = ArrayPool<float>.Shared.Rent(count);
        try
        {
            fixed (float* g = scratch)
            {
                BackwardDataImage(s, dy, w, g, accumulate: false);
                RowCopy.Masked(g, x, dx, count, accumulate);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Sums dW (and dbias) of images [n0, n1) into this chunk's partial, in image order.</summary>
    private static void WeightChunk(in Conv2dShape s, int n0, int n1, float* x, float* dy, float* partial,
        bool wantBias, bool relu)
    {
        int cinG = s.InChannels / s.Groups, coutG = s.OutChannels / s.Groups;
        int kg = cinG * s.KernelH * s.KernelW, hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth;
        float* dbPartial = partial + s.WeightLength;
        new Span<float>(partial, s.WeightLength + s.OutChannels).Clear();
        float[]? colArray = RentCol(s);
        try
        {
            fixed (float* col = colArray)
            {
                for (int n = n0; n < n1; n++)
                {
                    for (int g = 0; g < s.Groups; g++)
                    {
                        float* xg = x + ((((long)n * s.InChannels) + (g * cinG)) * hw);
                        float* dyg = dy + ((((long)n * s.OutChannels) + (g * coutG)) * ohw);
                        var dwg = new Span<float>(partial + ((long)g * coutG * kg), coutG * kg);
                        if (col == null)
                        {
                            Gemm(relu, false, true, coutG, cinG, hw, Span(dyg, coutG, hw, hw), hw,
                                Span(xg, cinG, hw, hw), hw, 1f, dwg, kg);
                            continue;
                        }
                        int band = BandRows(s);
                        for (int oy0 = 0; oy0 < s.OutHeight; oy0 += band)
                        {
                            int oy1 = Math.Min(s.OutHeight, oy0 + band), cols = (oy1 - oy0) * s.OutWidth;
                            Im2Col.Gather(s, cinG, xg, oy0, oy1, col);
                            Gemm(relu, false, true, coutG, kg, cols,
                                Span(dyg + ((long)oy0 * s.OutWidth), coutG, cols, ohw), ohw,
                                Span(col, kg, cols, cols), cols, 1f, dwg, kg);
                        }
                    }
                    if (wantBias)
                    {
                        for (int co = 0; co < s.OutChannels; co++)
                        {
                            dbPartial[co] += TensorPrimitives.Sum(
                                new ReadOnlySpan<float>(dy + ((((long)n * s.OutChannels) + co) * ohw), ohw));
                        }
                    }
                }
            }
        }
        finally
        {
            if (colArray != null)
            {
                ArrayPool<float>.Shared.Return(colArray);
            }
        }
    }

    /// <summary>The span a row-major rows × cols matrix with row stride <paramref name="ld"/> occupies.</summary>
    private static Span<float> Span(float* p, int rows, int cols, int ld) =>
        new(p, ((rows - 1) * ld) + cols);

    private static void Check(in Conv2dShape s, int dataLength, string dataName, int dataExpected, int wLength)
    {
        CheckLength(dataLength, dataExpected, dataName);
        CheckLength(wLength, s.WeightLength, "w");
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"{name} holds {actual} values; the shape needs {expected}.", name);
        }
    }
}

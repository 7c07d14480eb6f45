using System.Buffers;
using System.Numerics.Tensors;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Depthwise convolution (Groups == InChannels == OutChannels) forward, backward-data and
/// backward-weight.</summary>
/// <remarks>
/// Contract is that of <see cref="Conv2dReference"/>: x [N, C, H, W], w [C, 1, KH, KW], bias [C] or empty,
/// y [N, C, OH, OW]; any kernel size, stride, padding and dilation. Direct SIMD kernels, vectorised along the
/// flattened output of one (n, c) plane (see <see cref="DepthwiseGeometry"/>); threads take fixed chunks of planes.
/// Backward-weight keeps one partial sum per fixed (channel, block of images) chunk and adds the partials in block
/// order, so every pass is bit-identical at any thread count.
/// </remarks>
public static unsafe class DepthwiseConv2dKernel
{
    /// <summary>Images per backward-weight chunk: fixed, so the reduction order never depends on the thread count.
    /// </summary>
    private const int ImagesPerWeightChunk = 8;

    /// <summary>At most this many chunks for the passes where chunking cannot change the result.</summary>
    private const int MaxPlaneChunks = 64;

    /// <summary>y = depthwise conv(x, w) + bias, or with <paramref name="reluInput"/> depthwise conv(relu(x), w) +
    /// bias.</summary>
    /// <remarks>The fused ReLU costs nothing: every plane is copied into zero-padded scratch anyway, and the copy
    /// applies max(·, 0). DARTS puts a ReLU before every depthwise conv of its candidates, and materialising it was a
    /// full read and write of the activation forward and two more backward.</remarks>
    public static void Forward(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, w.Length, bias.Length, nameof(bias));
        CheckLength(y.Length, s.OutputLength, nameof(y));
        var geo = new DepthwiseGeometry(s);
        int planes = s.Batch * s.InChannels;
        int chunks = Math.Min(planes, MaxPlaneChunks);
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint xa = (nint)px, wa = (nint)pw, ba = bias.IsEmpty ? 0 : (nint)pb, ya = (nint)py;
            CpuParallel.For(chunks, chunk =>
            {
                (int first, int end) = ChunkRange(planes, chunks, chunk);
                ForwardPlanes(geo, first, end, (float*)xa, (float*)wa, (float*)ba, (float*)ya, reluInput);
            });
        }
    }

    /// <summary>dx (= or +=) the gradient of the forward pass with respect to x.</summary>
    /// <param name="reluInputOf">Empty, or the x of a forward with a fused ReLU: dx is then the gradient with respect
    /// to that x (zero where x ≤ 0).</param>
    public static void BackwardData(in Conv2dShape s, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx,
        bool accumulate, ReadOnlySpan<float> reluInputOf = default)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, dy.Length, nameof(dy), s.OutputLength, w.Length, 0, nameof(w));
        CheckLength(dx.Length, s.InputLength, nameof(dx));
        if (!reluInputOf.IsEmpty)
        {
            CheckLength(reluInputOf.Length, s.InputLength, nameof(reluInputOf));
        }
        var geo = new DepthwiseGeometry(s);
        int planes = s.Batch * s.InChannels;
        int chunks = Math.Min(planes, MaxPlaneChunks);
        fixed (float* pdy = dy, pw = w, pdx = dx, pm = reluInputOf)
        {
            nint dya = (nint)pdy, wa = (nint)pw, dxa = (nint)pdx, ma = reluInputOf.IsEmpty ? 0 : (nint)pm;
            CpuParallel.For(chunks, chunk =>
            {
                (int first, int end) = ChunkRange(planes, chunks, chunk);
                BackwardDataPlanes(geo, first, end, (float*)dya, (float*)wa, (float*)dxa, accumulate, (float*)ma);
            });
        }
    }

    /// <summary>dw (= or +=) Σ dy·x (Σ dy·relu(x) with <paramref name="reluInput"/>); dbias (= or +=) Σ dy when
    /// <paramref name="dbias"/> is not empty.</summary>
    public static void BackwardWeight(in Conv2dShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw,
        Span<float> dbias, bool accumulate, bool reluInput = false)
    {
        s.Validate(); // first: the length checks below divide by stride and groups
        Check(s, x.Length, nameof(x), s.InputLength, dw.Length, dbias.Length, nameof(dbias));
        CheckLength(dy.Length, s.OutputLength, nameof(dy));
        var geo = new DepthwiseGeometry(s);
        int batch = s.Batch, c = s.InChannels, taps = geo.Taps;
        int blocks = (batch + ImagesPerWeightChunk - 1) / ImagesPerWeightChunk;
        // One partial row of (taps weights + 1 bias) per (block, channel) chunk.
        int stride = taps + 1;
        float[] partial = ArrayPool<float>.Shared.Rent(blocks * c * stride);
        try
        {
            fixed (float* px = x, pdy = dy, pp = partial)
            {
                nint xa = (nint)px, dya = (nint)pdy, pa = (nint)pp;
                bool wantBias = !dbias.IsEmpty;
                CpuParallel.For(blocks * c, chunk =>
                {
                    int block = chunk / c, channel = chunk % c;
                    int n0 = block * ImagesPerWeightChunk, n1 = Math.Min(batch, n0 + ImagesPerWeightChunk);
                    WeightChunk(geo, channel, n0, n1, (float*)xa, (float*)dya, (float*)pa + ((long)chunk * stride),
                        wantBias, reluInput);
                });
            }
            // Fixed-order reduction over image blocks.
            for (int ch = 0; ch < c; ch++)
            {
                for (int t = 0; t <= taps; t++)
                {
                    if (t == taps && dbias.IsEmpty)
                    {
                        break;
                    }
                    float sum = 0;
                    for (int b = 0; b < blocks; b++)
                    {
                        sum += partial[(((b * c) + ch) * stride) + t];
                    }
                    ref float target = ref t == taps ? ref dbias[ch] : ref dw[(ch * taps) + t];
                    target = accumulate ? target + sum : sum;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    private static void ForwardPlanes(DepthwiseGeometry geo, int first, int end, float* x, float* w, float* bias,
        float* y, bool relu)
    {
        var s = geo.Shape;
        int hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth, taps = geo.Taps;
        int phaseFloats = geo.Phases * geo.PhaseLength;
        float[] scratch = ArrayPool<float>.Shared.Rent(phaseFloats + geo.FlatLength);
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(taps);
        try
        {
            fixed (float* phases = scratch)
            fixed (nint* tapPtr = tapArray)
            {
                float* flat = phases + phaseFloats;
                var src = (float**)tapPtr;
                geo.ForwardTaps(phases, src);
                for (int p = first; p < end; p++)
                {
                    int ch = p % s.InChannels;
                    geo.FillPhases(phases, x + ((long)p * hw), zerosInPlace: p != first, relu);
                    TapKernels.Sum(flat, geo.FlatLength, src, w + ((long)ch * taps), taps);
                    float* yp = y + ((long)p * ohw);
                    for (int oy = 0; oy < s.OutHeight; oy++)
                    {
                        float* row = flat + ((long)oy * geo.Wq), dst = yp + ((long)oy * s.OutWidth);
                        if (bias == null)
                        {
                            RowCopy.Copy(row, dst, s.OutWidth);
                        }
                        else
                        {
                            RowCopy.CopyAdd(row, bias[ch], dst, s.OutWidth);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static void BackwardDataPlanes(DepthwiseGeometry geo, int first, int end, float* dy, float* w, float* dx,
        bool accumulate, float* mask)
    {
        var s = geo.Shape;
        int hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth, taps = geo.Taps;
        // With a fused ReLU the phases are gathered into a plane buffer first and the mask is applied to the whole
        // plane in one vector pass: masking inside the row scatter ran scalar, branchy code on the strided
        // (stride 2) and short-row paths and made the fused op slower than ReLU + convolution.
        float[] scratch = ArrayPool<float>.Shared.Rent((2 * geo.DLength) + (mask == null ? 0 : hw));
        float[] weights = ArrayPool<float>.Shared.Rent(taps);
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(taps);
        try
        {
            fixed (float* d = scratch, tw = weights)
            fixed (nint* tapPtr = tapArray)
            {
                float* flat = d + geo.DLength;
                float* planeBuffer = flat + geo.DLength;
                if (mask != null)
                {
                    // Positions no phase writes (none for stride ≤ kernel) must read as 0; the set is the same for
                    // every plane, so clearing once is enough.
                    new Span<float>(planeBuffer, hw).Clear();
                }
                var src = (float**)tapPtr;
                for (int p = first; p < end; p++)
                {
                    int ch = p % s.InChannels;
                    PaddedPlane.Fill(d, geo.Hd, geo.Wd, dy + ((long)p * ohw), s.OutHeight, s.OutWidth,
                        1, geo.DRow0 - geo.MaxQy, 1, geo.DCol0 - geo.MaxQx, zerosInPlace: p != first);
                    float* dxp = dx + ((long)p * hw);
                    float* target = mask == null ? dxp : planeBuffer;
                    for (int ry = 0; ry < s.StrideH; ry++)
                    {
                        int aLo = geo.ALo(ry), aHi = geo.AHi(ry);
                        for (int rx = 0; rx < s.StrideW; rx++)
                        {
                            int bLo = geo.BLo(rx), bHi = geo.BHi(rx);
                            if (aHi == aLo || bHi == bLo)
                            {
                                continue;
                            }
                            int n = geo.BackwardTaps(ry, rx, d, w + ((long)ch * taps), src, tw);
                            int length = ((aHi - aLo - 1) * geo.Wd) + (bHi - bLo);
                            TapKernels.Sum(flat, length, src, tw, n);
                            Scatter(s, geo.Wd, flat, target, ry, rx, aLo, aHi, bLo, bHi, accumulate && mask == null);
                        }
                    }
                    if (mask != null)
                    {
                        RowCopy.Masked(planeBuffer, mask + ((long)p * hw), dxp, hw, accumulate);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(weights);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Writes one computed phase of the padded dx plane into dx, cropping the padding.</summary>
    private static void Scatter(in Conv2dShape s, int wd, float* flat, float* dxp, int ry, int rx, int aLo, int aHi,
        int bLo, int bHi, bool accumulate)
    {
        for (int a = aLo; a < aHi; a++)
        {
            int iy = (a * s.StrideH) + ry - s.PadH;
            float* row = flat + ((long)(a - aLo) * wd);
            float* dst = dxp + ((long)iy * s.Width);
            if (s.StrideW == 1)
            {
                // bLo = PadW, so the row maps onto dx columns 0..W-1 one to one.
                if (accumulate)
                {
                    RowCopy.Add(row, dst, s.Width);
                }
                else
                {
                    RowCopy.Copy(row, dst, s.Width);
                }
                continue;
            }
            for (int b = bLo; b < bHi; b++)
            {
                int ix = (b * s.StrideW) + rx - s.PadW;
                float v = row[b - bLo];
                dst[ix] = accumulate ? dst[ix] + v : v;
            }
        }
    }

    private static void WeightChunk(DepthwiseGeometry geo, int channel, int n0, int n1, float* x, float* dy,
        float* partial, bool wantBias, bool relu)
    {
        var s = geo.Shape;
        int hw = s.Height * s.Width, ohw = s.OutHeight * s.OutWidth, taps = geo.Taps;
        int phaseFloats = geo.Phases * geo.PhaseLength;
        int gLength = s.OutHeight * geo.Wq;
        float[] scratch = ArrayPool<float>.Shared.Rent(phaseFloats + gLength);
        nint[] tapArray = ArrayPool<nint>.Shared.Rent(taps);
        try
        {
            fixed (float* phases = scratch)
            fixed (nint* tapPtr = tapArray)
            {
                float* g = phases + phaseFloats;
                var src = (float**)tapPtr;
                geo.ForwardTaps(phases, src);
                new Span<float>(partial, taps + 1).Clear();
                for (int n = n0; n < n1; n++)
                {
                    long p = ((long)n * s.InChannels) + channel;
                    float* dyp = dy + (p * ohw);
                    geo.FillPhases(phases, x + (p * hw), zerosInPlace: n != n0, relu);
                    // dy laid out with the phase planes' row stride; the discarded columns are zero so they add
                    // nothing to the dot products.
                    PaddedPlane.Fill(g, s.OutHeight, geo.Wq, dyp, s.OutHeight, s.OutWidth, 1, 0, 1, 0,
                        zerosInPlace: n != n0);
                    TapKernels.Dot(g, geo.FlatLength, src, partial, taps);
                    if (wantBias)
                    {
                        partial[taps] += TensorPrimitives.Sum(new ReadOnlySpan<float>(dyp, ohw));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<nint>.Shared.Return(tapArray);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static (int First, int End) ChunkRange(int count, int chunks, int chunk) =>
        ((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));

    private static void Check(in Conv2dShape s, int dataLength, string dataName, int dataExpected, int wLength,
        int biasLength, string biasName)
    {
        if (!s.IsDepthwise)
        {
            throw new ArgumentException(
                $"Depthwise convolution needs Groups == InChannels == OutChannels, got Groups {s.Groups}, " +
                $"InChannels {s.InChannels}, OutChannels {s.OutChannels}.", nameof(s));
        }
        CheckLength(dataLength, dataExpected, dataName);
        CheckLength(wLength, s.WeightLength, "w");
        if (biasLength != 0 && biasLength != s.OutChannels)
        {
            throw new ArgumentException($"{biasName} must be empty or hold {s.OutChannels} values, got {biasLength}.",
                biasName);
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"{name} holds {actual} values; the shape needs {expected}.", name);
        }
    }
}

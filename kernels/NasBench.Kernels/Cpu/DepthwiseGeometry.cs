namespace NasBench.Kernels.Cpu;

/// <summary>Scratch-plane layout of the direct depthwise kernel for one <see cref="Conv2dShape"/>.</summary>
/// <remarks>
/// Forward and backward-weight: the zero-padded input plane (Hp × Wp) is split into StrideH·StrideW phase planes
/// <c>P(ry,rx)[a,b] = xpad[a·sh + ry, b·sw + rx]</c>, each Hq × Wq. Tap (ky,kx) then reads phase
/// ((ky·dh) mod sh, (kx·dw) mod sw) shifted by ((ky·dh) div sh, (kx·dw) div sw), and output (oy,ox) sits at flat
/// index oy·Wq + ox: one long contiguous run per plane, with Wq − OW discarded columns per row.
/// <para>Backward-data is the same sum read the other way: dx's padded plane is cut into the same phases, and phase
/// (ry,rx) is a stride-1 correlation of dy (zero-padded into a Hd × Wd plane D) with the taps of that phase, at
/// offsets negated. Only the rows [ALo, AHi) and columns [BLo, BHi) of a phase that land inside dx are computed.</para>
/// <para>The forward scratch may carry a wider zero border than the shape's padding (<see cref="ScratchPadH"/>,
/// <see cref="ScratchPadW"/>): the taps then start that much further in. This is how convolutions of one input with
/// different paddings share one filled scratch (<see cref="DepthwiseConv2dKernel.ForwardShared"/>).</para>
/// </remarks>
internal readonly struct DepthwiseGeometry
{
    public DepthwiseGeometry(in Conv2dShape s)
        : this(s, s.PadH, s.PadW)
    {
    }

    /// <param name="s">The convolution.</param>
    /// <param name="scratchPadH">Zero rows above and below each input plane in the forward scratch; ≥ s.PadH.</param>
    /// <param name="scratchPadW">Zero columns left and right; ≥ s.PadW.</param>
    public DepthwiseGeometry(in Conv2dShape s, int scratchPadH, int scratchPadW)
    {
        if (scratchPadH < s.PadH || scratchPadW < s.PadW)
        {
            throw new ArgumentOutOfRangeException(nameof(scratchPadH),
                $"The scratch border ({scratchPadH}, {scratchPadW}) must be at least the padding ({s.PadH}, {s.PadW}).");
        }
        Shape = s;
        ScratchPadH = scratchPadH;
        ScratchPadW = scratchPadW;
        Taps = s.KernelH * s.KernelW;
        Hq = PaddedPlane.CeilDiv(s.Height + (2 * scratchPadH), s.StrideH);
        Wq = PaddedPlane.CeilDiv(s.Width + (2 * scratchPadW), s.StrideW);
        Phases = s.StrideH * s.StrideW;
        FlatLength = ((s.OutHeight - 1) * Wq) + s.OutWidth;
        MaxQy = (s.KernelH - 1) * s.DilationH / s.StrideH;
        MaxQx = (s.KernelW - 1) * s.DilationW / s.StrideW;
        int r0 = int.MaxValue, r1 = 0, c0 = int.MaxValue, c1 = 0;
        for (int ry = 0; ry < s.StrideH; ry++)
        {
            r0 = Math.Min(r0, ALo(ry));
            r1 = Math.Max(r1, AHi(ry));
        }
        for (int rx = 0; rx < s.StrideW; rx++)
        {
            c0 = Math.Min(c0, BLo(rx));
            c1 = Math.Max(c1, BHi(rx));
        }
        DRow0 = r0;
        DCol0 = c0;
        Hd = Math.Max(r1 + MaxQy - r0, 1);
        Wd = Math.Max(c1 + MaxQx - c0, 1);
    }

    public Conv2dShape Shape { get; }

    /// <summary>Zero border of the forward scratch planes, at least the shape's padding.</summary>
    public int ScratchPadH { get; }

    public int ScratchPadW { get; }

    public int Taps { get; }

    /// <summary>Rows and columns of one phase plane of the padded input.</summary>
    public int Hq { get; }

    public int Wq { get; }

    public int Phases { get; }

    /// <summary>Length of the flat run that covers every output (oy·Wq + ox, ox &lt; OW).</summary>
    public int FlatLength { get; }

    public int PhaseLength => Hq * Wq;

    /// <summary>Largest tap shift, in phase-plane rows and columns.</summary>
    public int MaxQy { get; }

    public int MaxQx { get; }

    /// <summary>The zero-padded dy plane D of backward-data: Hd × Wd, its (0,0) at phase coordinates
    /// (DRow0 − MaxQy, DCol0 − MaxQx) relative to dy.</summary>
    public int Hd { get; }

    public int Wd { get; }

    public int DRow0 { get; }

    public int DCol0 { get; }

    public int DLength => Hd * Wd;

    /// <summary>First phase row a of row phase ry whose dx row a·sh + ry − padH is ≥ 0.</summary>
    public int ALo(int ry) => Math.Max(0, PaddedPlane.CeilDiv(Shape.PadH - ry, Shape.StrideH));

    /// <summary>One past the last phase row of row phase ry that lands inside dx.</summary>
    public int AHi(int ry) => Math.Max(ALo(ry), PaddedPlane.CeilDiv(Shape.Height + Shape.PadH - ry, Shape.StrideH));

    public int BLo(int rx) => Math.Max(0, PaddedPlane.CeilDiv(Shape.PadW - rx, Shape.StrideW));

    public int BHi(int rx) => Math.Max(BLo(rx), PaddedPlane.CeilDiv(Shape.Width + Shape.PadW - rx, Shape.StrideW));

    /// <summary>Side k of a square filter at stride 1, whose taps form a k × k grid (<see cref="TapGridKernels"/>):
    /// forward taps step <see cref="ForwardRowStep"/> floats per filter row, backward taps the same in D once their
    /// rows are reversed (<see cref="ReverseTapRows"/>); 0 for other shapes.</summary>
    public int GridSide => Shape.StrideH == 1 && Shape.StrideW == 1 && Shape.KernelH == Shape.KernelW
        ? Shape.KernelH
        : 0;

    public int ForwardRowStep => Shape.DilationH * Wq;

    public int BackwardRowStep => Shape.DilationH * Wd;

    /// <summary>Reverses the filter rows of k × k taps and their weights, in place.</summary>
    public static unsafe void ReverseTapRows(float** src, float* w, int k)
    {
        for (int top = 0, bottom = k - 1; top < bottom; top++, bottom--)
        {
            for (int kx = 0; kx < k; kx++)
            {
                int a = (top * k) + kx, b = (bottom * k) + kx;
                float* p = src[a];
                src[a] = src[b];
                src[b] = p;
                (w[a], w[b]) = (w[b], w[a]);
            }
        }
    }

    /// <summary>Fills the phase planes of one input plane (forward and backward-weight); phase planes are
    /// <paramref name="phaseStride"/> floats apart (more than one plane when images are stacked).</summary>
    public unsafe void FillPhases(float* phases, long phaseStride, float* xPlane, bool zerosInPlace, bool relu = false)
    {
        var s = Shape;
        for (int ry = 0; ry < s.StrideH; ry++)
        {
            for (int rx = 0; rx < s.StrideW; rx++)
            {
                float* dst = phases + (((ry * s.StrideW) + rx) * phaseStride);
                PaddedPlane.Fill(dst, Hq, Wq, xPlane, s.Height, s.Width, s.StrideH, ry - ScratchPadH, s.StrideW,
                    rx - ScratchPadW,
                    zerosInPlace, relu);
            }
        }
    }

    /// <summary>Forward taps: pointer of each tap into the phase planes (<paramref name="phaseStride"/> floats
    /// apart), in (ky, kx) order.</summary>
    public unsafe void ForwardTaps(float* phases, float** src, long phaseStride)
    {
        var s = Shape;
        // A wider scratch border moves every tap (ScratchPad − Pad) further in, which may change its phase.
        int eh = ScratchPadH - s.PadH, ew = ScratchPadW - s.PadW;
        for (int ky = 0; ky < s.KernelH; ky++)
        {
            int ty = eh + (ky * s.DilationH), ry = ty % s.StrideH, qy = ty / s.StrideH;
            for (int kx = 0; kx < s.KernelW; kx++)
            {
                int tx = ew + (kx * s.DilationW), rx = tx % s.StrideW, qx = tx / s.StrideW;
                src[(ky * s.KernelW) + kx] = phases + (((ry * s.StrideW) + rx) * phaseStride) + (qy * Wq) + qx;
            }
        }
    }

    /// <summary>Backward-data taps of phase (ry, rx): pointers into D and their weights; returns the tap count.
    /// </summary>
    public unsafe int BackwardTaps(int ry, int rx, float* d, float* wPlane, float** src, float* w)
    {
        var s = Shape;
        int n = 0;
        int aLo = ALo(ry), bLo = BLo(rx);
        for (int ky = 0; ky < s.KernelH; ky++)
        {
            if (ky * s.DilationH % s.StrideH != ry)
            {
                continue;
            }
            int qy = ky * s.DilationH / s.StrideH;
            for (int kx = 0; kx < s.KernelW; kx++)
            {
                if (kx * s.DilationW % s.StrideW != rx)
                {
                    continue;
                }
                int qx = kx * s.DilationW / s.StrideW;
                src[n] = d + ((long)(aLo - qy + MaxQy - DRow0) * Wd) + (bLo - qx + MaxQx - DCol0);
                w[n] = wPlane[(ky * s.KernelW) + kx];
                n++;
            }
        }
        return n;
    }
}

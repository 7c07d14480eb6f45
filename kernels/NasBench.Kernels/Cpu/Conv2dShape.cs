namespace NasBench.Kernels.Cpu;

/// <summary>Geometry of a 2-D convolution over NCHW tensors with weights laid out [Cout, Cin/groups, KH, KW].</summary>
/// <remarks>
/// Output size follows PyTorch: <c>OH = (H + 2·padH − dilH·(KH − 1) − 1) / strideH + 1</c>.
/// Depthwise convolution is the case <c>Groups == InChannels == OutChannels</c>.
/// </remarks>
public readonly record struct Conv2dShape(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1, int Groups = 1)
{
    public int OutHeight => ((Height + (2 * PadH) - (DilationH * (KernelH - 1)) - 1) / StrideH) + 1;
    public int OutWidth => ((Width + (2 * PadW) - (DilationW * (KernelW - 1)) - 1) / StrideW) + 1;
    public int InputLength => Batch * InChannels * Height * Width;
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;
    public int WeightLength => OutChannels * (InChannels / Groups) * KernelH * KernelW;
    public bool IsDepthwise => Groups == InChannels && Groups == OutChannels;

    /// <summary>Multiply-accumulates of one forward pass.</summary>
    public long Macs => (long)Batch * OutChannels * OutHeight * OutWidth * (InChannels / Groups) * KernelH * KernelW;

    /// <summary>Throws with the offending field named when the geometry cannot describe a convolution.</summary>
    public void Validate()
    {
        if (Batch <= 0 || InChannels <= 0 || Height <= 0 || Width <= 0 || OutChannels <= 0)
        {
            throw new ArgumentException($"Convolution sizes must be positive, got {this}.");
        }
        if (KernelH <= 0 || KernelW <= 0 || StrideH <= 0 || StrideW <= 0 || DilationH <= 0 || DilationW <= 0
            || PadH < 0 || PadW < 0)
        {
            throw new ArgumentException($"Kernel, stride and dilation must be positive and padding non-negative, got {this}.");
        }
        if (Groups <= 0 || InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException(
                $"Groups ({Groups}) must divide InChannels ({InChannels}) and OutChannels ({OutChannels}).");
        }
        if (OutHeight <= 0 || OutWidth <= 0)
        {
            throw new ArgumentException($"Convolution output would be empty ({OutHeight}x{OutWidth}) for {this}.");
        }
    }
}

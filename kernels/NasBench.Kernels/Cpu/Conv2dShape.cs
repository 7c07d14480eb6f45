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

    /// <summary>Throws <see cref="ArgumentException"/> whose message starts with the offending field's name when the
    /// geometry cannot describe a convolution.</summary>
    public void Validate()
    {
        Positive(Batch, nameof(Batch));
        Positive(InChannels, nameof(InChannels));
        Positive(Height, nameof(Height));
        Positive(Width, nameof(Width));
        Positive(OutChannels, nameof(OutChannels));
        Positive(KernelH, nameof(KernelH));
        Positive(KernelW, nameof(KernelW));
        Positive(StrideH, nameof(StrideH));
        Positive(StrideW, nameof(StrideW));
        Positive(DilationH, nameof(DilationH));
        Positive(DilationW, nameof(DilationW));
        Positive(Groups, nameof(Groups));
        if (PadH < 0)
        {
            throw new ArgumentException($"{nameof(PadH)} must be non-negative, got {PadH} in {this}.");
        }
        if (PadW < 0)
        {
            throw new ArgumentException($"{nameof(PadW)} must be non-negative, got {PadW} in {this}.");
        }
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException(
                $"{nameof(Groups)} ({Groups}) must divide {nameof(InChannels)} ({InChannels}) and " +
                $"{nameof(OutChannels)} ({OutChannels}).");
        }
        // Test the numerator: C# division truncates toward zero, so OutHeight can read 1 for an empty output.
        if (Height + (2 * PadH) - (DilationH * (KernelH - 1)) - 1 < 0)
        {
            throw new ArgumentException(
                $"{nameof(OutHeight)} would be empty: {nameof(KernelH)}·{nameof(DilationH)} exceeds the padded " +
                $"{nameof(Height)} in {this}.");
        }
        if (Width + (2 * PadW) - (DilationW * (KernelW - 1)) - 1 < 0)
        {
            throw new ArgumentException(
                $"{nameof(OutWidth)} would be empty: {nameof(KernelW)}·{nameof(DilationW)} exceeds the padded " +
                $"{nameof(Width)} in {this}.");
        }
    }

    /// <summary>Prints the stored fields only: the derived sizes divide by stride and groups, and a shape being
    /// reported as invalid may hold zeros there.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Batch = {Batch}, InChannels = {InChannels}, Height = {Height}, Width = {Width}, ");
        builder.Append($"OutChannels = {OutChannels}, KernelH = {KernelH}, KernelW = {KernelW}, ");
        builder.Append($"StrideH = {StrideH}, StrideW = {StrideW}, PadH = {PadH}, PadW = {PadW}, ");
        builder.Append($"DilationH = {DilationH}, DilationW = {DilationW}, Groups = {Groups}");
        return true;
    }

    private void Positive(int value, string field)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{field} must be positive, got {value} in {this}.");
        }
    }
}

namespace NasBench.Kernels.Cpu;

/// <summary>Geometry of a square k×k pooling window over NCHW tensors.</summary>
public readonly record struct Pool2dShape(int Batch, int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
{
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;
    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;
    public int InputLength => Batch * Channels * Height * Width;
    public int OutputLength => Batch * Channels * OutHeight * OutWidth;

    public void Validate()
    {
        if (Batch <= 0 || Channels <= 0 || Height <= 0 || Width <= 0 || Kernel <= 0 || Stride <= 0 || Padding < 0)
        {
            // Not {this}: the record's ToString evaluates OutHeight, which divides by the stride.
            throw new ArgumentException(
                $"Pooling sizes must be positive (padding non-negative), got batch {Batch}, channels {Channels}, " +
                $"{Height}×{Width}, kernel {Kernel}, stride {Stride}, padding {Padding}.");
        }
        if (Padding * 2 > Kernel)
        {
            throw new ArgumentException($"Padding {Padding} must be at most half the kernel {Kernel}.");
        }
        if (OutHeight <= 0 || OutWidth <= 0)
        {
            throw new ArgumentException($"Pooling output would be empty for {this}.");
        }
    }
}

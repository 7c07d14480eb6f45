namespace NasBench.Kernels.Cpu;

/// <summary>Geometry of a depthwise convolution over batch-minor activations (<see cref="BatchMinorDepthwiseKernel"/>):
/// x is [C, H, W, N] with the batch innermost, the weights [C, k, k], the output [C, OH, OW, N] with
/// OH = (H + 2·padding − dilation·(k − 1) − 1) / stride + 1.</summary>
public readonly record struct BatchMinorDepthwiseShape(
    int Channels, int Height, int Width, int Batch, int Kernel, int Dilation, int Padding, int Stride = 1)
{
    public int OutHeight => (Height + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;

    public int OutWidth => (Width + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;

    public long InputLength => (long)Channels * Height * Width * Batch;

    public long OutputLength => (long)Channels * OutHeight * OutWidth * Batch;

    public int WeightLength => Channels * Kernel * Kernel;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first size that is out of range.</summary>
    public void Validate()
    {
        Positive(Channels, "channels");
        Positive(Height, "height");
        Positive(Width, "width");
        Positive(Batch, "batch");
        Positive(Kernel, "kernel size");
        Positive(Dilation, "dilation");
        Positive(Stride, "stride");
        if (Padding < 0 || Padding > Dilation * (Kernel - 1))
        {
            throw new ArgumentException(
                $"padding {Padding} is out of range: expected 0..{Dilation * (Kernel - 1)} (dilation × (kernel − 1)).");
        }
        if (Height + 2 * Padding - Dilation * (Kernel - 1) < 1 || Width + 2 * Padding - Dilation * (Kernel - 1) < 1)
        {
            throw new ArgumentException(
                $"a {Kernel}×{Kernel} kernel with dilation {Dilation} and padding {Padding} does not fit a "
                + $"{Height}×{Width} plane.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} must be at least 1, got {value}.");
        }
    }
}

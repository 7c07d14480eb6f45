namespace NasBench.Data;

/// <summary>The shape of one image: channels, height and width (CHW).</summary>
/// <remarks>An image occupies <see cref="Size"/> consecutive values, channel planes first (planar, as NCHW
/// expects).</remarks>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values in one channel plane: <c>Height × Width</c>.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Values in one image: <c>Channels × Height × Width</c>.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

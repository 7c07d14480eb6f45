namespace NasBench.Data.Augmentation;

/// <summary>Cutout (DeVries &amp; Taylor, 2017): zeroes a <see cref="Length"/>-sided square at a random
/// centre.</summary>
/// <remarks>
/// The centre <c>(cy, cx)</c> is uniform over the image; the square spans rows <c>[cy − L/2, cy − L/2 + L)</c> and the
/// same for columns, clipped at the borders, in every channel. Zero is the mean colour after normalisation, as in
/// DARTS, which applies cutout (L = 16) to normalised tensors.
/// </remarks>
public sealed class Cutout : IAugmentation
{
    /// <summary>Creates a cutout of side <paramref name="length"/> pixels.</summary>
    public Cutout(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
    }

    /// <summary>Side of the square in pixels.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public void Apply(Span<float> image, ImageShape shape, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int cy = random.Next(shape.Height);
        int cx = random.Next(shape.Width);
        Erase(image, shape, cy, cx, Length);
    }

    /// <summary>Zeroes the <paramref name="length"/>-sided square centred at (<paramref name="cy"/>, <paramref
    /// name="cx"/>).</summary>
    public static void Erase(Span<float> image, ImageShape shape, int cy, int cx, int length)
    {
        HorizontalFlip.CheckLength(image, shape);
        int y0 = Math.Clamp(cy - length / 2, 0, shape.Height);
        int y1 = Math.Clamp(cy - length / 2 + length, 0, shape.Height);
        int x0 = Math.Clamp(cx - length / 2, 0, shape.Width);
        int x1 = Math.Clamp(cx - length / 2 + length, 0, shape.Width);
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int y = y0; y < y1; y++)
            {
                image.Slice(c * shape.PlaneSize + y * shape.Width + x0, x1 - x0).Clear();
            }
        }
    }
}

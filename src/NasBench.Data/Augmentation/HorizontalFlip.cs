namespace NasBench.Data.Augmentation;

/// <summary>Mirrors the image left–right with probability <see cref="Probability"/>.</summary>
public sealed class HorizontalFlip : IAugmentation
{
    /// <summary>Creates a flip applied with probability <paramref name="probability"/> (0.5 is the usual
    /// choice).</summary>
    public HorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be in [0, 1].");
        }

        Probability = probability;
    }

    /// <summary>Chance that an image is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public void Apply(Span<float> image, ImageShape shape, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        // Draw even when p is 0 or 1 so the random stream advances the same way for any probability.
        if (random.NextDouble() < Probability)
        {
            Flip(image, shape);
        }
    }

    /// <summary>Mirrors every row of every channel in place.</summary>
    public static void Flip(Span<float> image, ImageShape shape)
    {
        CheckLength(image, shape);
        for (int row = 0; row < shape.Channels * shape.Height; row++)
        {
            image.Slice(row * shape.Width, shape.Width).Reverse();
        }
    }

    internal static void CheckLength(Span<float> image, ImageShape shape)
    {
        if (image.Length != shape.Size)
        {
            throw new ArgumentException($"An image of {shape} has {shape.Size} values; got {image.Length}.",
                nameof(image));
        }
    }
}

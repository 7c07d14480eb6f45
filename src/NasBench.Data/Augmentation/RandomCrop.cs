namespace NasBench.Data.Augmentation;

/// <summary>Pads the image by <see cref="Padding"/> on every side and crops back to the original size at a random
/// place.</summary>
/// <remarks>
/// Equivalent to shifting the content by <c>(dy, dx)</c> drawn uniformly from <c>[−p, p]²</c> and filling the
/// uncovered border with zero. Images are normalised before augmentation, so zero is the dataset's mean colour;
/// torchvision pads black because it crops before normalising. Padding 0 is the identity.
/// </remarks>
public sealed class RandomCrop : IAugmentation
{
    /// <summary>Creates a crop with <paramref name="padding"/> pixels of padding per side (4 for CIFAR in
    /// DARTS).</summary>
    public RandomCrop(int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Padding = padding;
    }

    /// <summary>Padding per side in pixels.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    public void Apply(Span<float> image, ImageShape shape, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int dy = random.Next(2 * Padding + 1) - Padding;
        int dx = random.Next(2 * Padding + 1) - Padding;
        Shift(image, shape, dy, dx);
    }

    /// <summary>In place: <c>out[c, y, x] = in[c, y + dy, x + dx]</c>, zero where the source lies outside.</summary>
    public static void Shift(Span<float> image, ImageShape shape, int dy, int dx)
    {
        HorizontalFlip.CheckLength(image, shape);
        int h = shape.Height;
        int w = shape.Width;
        int plane = shape.PlaneSize;
        int x0 = Math.Max(0, -dx);
        int x1 = Math.Min(w, w - dx);
        for (int c = 0; c < shape.Channels; c++)
        {
            Span<float> p = image.Slice(c * plane, plane);
            // Visit rows so each source row is read before it is overwritten: ascending when reading from below.
            for (int k = 0; k < h; k++)
            {
                int y = dy >= 0 ? k : h - 1 - k;
                Span<float> dst = p.Slice(y * w, w);
                int sy = y + dy;
                if (sy < 0 || sy >= h || x0 >= x1)
                {
                    dst.Clear();
                    continue;
                }

                // Same-row copies overlap when dy = 0; Span.CopyTo has memmove semantics.
                p.Slice(sy * w + x0 + dx, x1 - x0).CopyTo(dst[x0..x1]);
                dst[..x0].Clear();
                dst[x1..].Clear();
            }
        }
    }
}

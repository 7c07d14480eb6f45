namespace NasBench.Data.Augmentation;

/// <summary>A random image transform applied in place to one normalised CHW image.</summary>
/// <remarks>
/// Implementations draw all randomness from the <see cref="Random"/> they are given, so a seeded generator makes the
/// result reproducible; they must not allocate (the loader calls them once per image).
/// </remarks>
public interface IAugmentation
{
    /// <summary>Transforms <paramref name="image"/> (<c>shape.Size</c> values, CHW) in place.</summary>
    void Apply(Span<float> image, ImageShape shape, Random random);
}

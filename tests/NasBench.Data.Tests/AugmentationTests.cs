using NasBench.Data.Augmentation;

namespace NasBench.Data.Tests;

public sealed class AugmentationTests
{
    private static readonly ImageShape Shape = new(3, 9, 7);

    [Fact]
    public void Flip_reverses_each_row_and_twice_is_identity()
    {
        float[] image = Ramp(Shape);
        float[] flipped = (float[])image.Clone();

        HorizontalFlip.Flip(flipped, Shape);
        for (int c = 0; c < Shape.Channels; c++)
        {
            for (int y = 0; y < Shape.Height; y++)
            {
                for (int x = 0; x < Shape.Width; x++)
                {
                    Assert.Equal(image[At(c, y, Shape.Width - 1 - x)], flipped[At(c, y, x)]);
                }
            }
        }

        HorizontalFlip.Flip(flipped, Shape);
        Assert.Equal(image, flipped);
    }

    [Fact]
    public void Flip_probability_is_respected()
    {
        var always = new HorizontalFlip(1.0);
        var never = new HorizontalFlip(0.0);
        float[] image = Ramp(Shape);
        float[] a = (float[])image.Clone();
        float[] b = (float[])image.Clone();
        var rng = new Random(1);
        always.Apply(a, Shape, rng);
        never.Apply(b, Shape, rng);
        Assert.NotEqual(image, a);
        Assert.Equal(image, b);

        var half = new HorizontalFlip();
        var random = new Random(2);
        int flips = 0;
        for (int i = 0; i < 2000; i++)
        {
            float[] x = Ramp(Shape);
            half.Apply(x, Shape, random);
            flips += x[0] != 0 ? 1 : 0;
        }

        Assert.InRange(flips, 900, 1100);
    }

    [Fact]
    public void Crop_with_padding_zero_is_identity()
    {
        var crop = new RandomCrop(0);
        var rng = new Random(3);
        for (int i = 0; i < 20; i++)
        {
            float[] image = Ramp(Shape);
            crop.Apply(image, Shape, rng);
            Assert.Equal(Ramp(Shape), image);
        }
    }

    [Fact]
    public void Shift_matches_a_direct_reference_for_every_offset()
    {
        float[] source = Ramp(Shape);
        for (int dy = -10; dy <= 10; dy++)
        {
            for (int dx = -8; dx <= 8; dx++)
            {
                float[] image = (float[])source.Clone();
                RandomCrop.Shift(image, Shape, dy, dx);
                for (int c = 0; c < Shape.Channels; c++)
                {
                    for (int y = 0; y < Shape.Height; y++)
                    {
                        for (int x = 0; x < Shape.Width; x++)
                        {
                            int sy = y + dy;
                            int sx = x + dx;
                            bool inside = sy >= 0 && sy < Shape.Height && sx >= 0 && sx < Shape.Width;
                            float expected = inside ? source[At(c, sy, sx)] : 0f;
                            Assert.Equal(expected, image[At(c, y, x)]);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Random_crop_draws_offsets_within_the_padding()
    {
        var crop = new RandomCrop(2);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 400; i++)
        {
            var probe = new Random(1000 + i);
            int dy = probe.Next(5) - 2;
            int dx = probe.Next(5) - 2;
            float[] expected = Ramp(Shape);
            RandomCrop.Shift(expected, Shape, dy, dx);
            float[] actual = Ramp(Shape);
            crop.Apply(actual, Shape, new Random(1000 + i));
            Assert.Equal(expected, actual);
            seen.Add((dy, dx));
        }

        // All 25 offsets of [−2, 2]² occur.
        Assert.Equal(25, seen.Count);
    }

    [Theory]
    [InlineData(4, 3, 4)]   // inside
    [InlineData(0, 0, 4)]   // top-left corner, clipped
    [InlineData(8, 6, 4)]   // bottom-right corner, clipped
    [InlineData(4, 3, 5)]   // odd side
    [InlineData(4, 3, 30)]  // larger than the image: everything
    [InlineData(4, 3, 0)]   // nothing
    public void Cutout_zeroes_exactly_the_clipped_square(int cy, int cx, int length)
    {
        float[] image = Ramp(Shape, offset: 1f);
        Cutout.Erase(image, Shape, cy, cx, length);

        int y0 = Math.Max(0, cy - length / 2);
        int y1 = Math.Min(Shape.Height, cy - length / 2 + length);
        int x0 = Math.Max(0, cx - length / 2);
        int x1 = Math.Min(Shape.Width, cx - length / 2 + length);
        float[] original = Ramp(Shape, offset: 1f);
        for (int c = 0; c < Shape.Channels; c++)
        {
            for (int y = 0; y < Shape.Height; y++)
            {
                for (int x = 0; x < Shape.Width; x++)
                {
                    bool inSquare = y >= y0 && y < y1 && x >= x0 && x < x1;
                    Assert.Equal(inSquare ? 0f : original[At(c, y, x)], image[At(c, y, x)]);
                }
            }
        }

        int zeros = image.Count(v => v == 0f);
        Assert.Equal(Shape.Channels * Math.Max(0, y1 - y0) * Math.Max(0, x1 - x0), zeros);
    }

    [Fact]
    public void Cutout_inside_the_image_zeroes_a_full_square()
    {
        var shape = new ImageShape(1, 28, 28);
        float[] image = Ramp(shape, offset: 1f);
        Cutout.Erase(image, shape, 14, 14, 16);
        Assert.Equal(16 * 16, image.Count(v => v == 0f));
    }

    [Fact]
    public void Seeded_augmentations_are_reproducible()
    {
        IAugmentation[] chain = [new RandomCrop(3), new HorizontalFlip(), new Cutout(4)];
        float[] a = Run(chain, seed: 7);
        float[] b = Run(chain, seed: 7);
        float[] c = Run(chain, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    private static float[] Run(IAugmentation[] chain, int seed)
    {
        var rng = new Random(seed);
        var all = new List<float>();
        for (int i = 0; i < 10; i++)
        {
            float[] image = Ramp(Shape, offset: 1f);
            foreach (IAugmentation aug in chain)
            {
                aug.Apply(image, Shape, rng);
            }

            all.AddRange(image);
        }

        return [.. all];
    }

    private static int At(int c, int y, int x) => (c * Shape.Height + y) * Shape.Width + x;

    private static float[] Ramp(ImageShape shape, float offset = 0f) =>
        Enumerable.Range(0, shape.Size).Select(i => i + offset).ToArray();
}

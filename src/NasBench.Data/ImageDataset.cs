namespace NasBench.Data;

/// <summary>An in-memory labelled image set stored as 8-bit pixels.</summary>
/// <remarks>
/// Pixels are planar: image <c>i</c> occupies <c>Pixels[i·S .. (i+1)·S)</c> with <c>S = Shape.Size</c>, channel
/// planes first (NCHW). Labels are class indices in <c>[0, ClassCount)</c>. Floats are produced on demand with
/// <see cref="CopyImageTo"/> so the resident size stays one byte per pixel (47 MB for Fashion-MNIST's training set).
/// </remarks>
public sealed class ImageDataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;

    /// <summary>Wraps pixels and labels; both arrays are taken over, not copied.</summary>
    /// <param name="name">Dataset name, e.g. <c>fashion-mnist/train</c>.</param>
    /// <param name="shape">Shape of one image.</param>
    /// <param name="classCount">Number of classes; every label must lie in <c>[0, classCount)</c>.</param>
    /// <param name="pixels">CHW pixels of all images, <c>labels.Length × shape.Size</c> bytes.</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="normalization">Statistics for <see cref="CopyImageTo"/>; computed from the pixels when
    /// null.</param>
    public ImageDataset(
        string name, ImageShape shape, int classCount, byte[] pixels, int[] labels,
        ChannelNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (shape.Channels <= 0 || shape.Height <= 0 || shape.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Image shape {shape} must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((long)labels.Length * shape.Size != pixels.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} images of {shape} need {(long)labels.Length * shape.Size} bytes; " +
                $"got {pixels.Length}.",
                nameof(pixels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Label {labels[i]} of image {i} is outside [0, {classCount}).", nameof(labels));
            }
        }

        if (normalization is not null && normalization.Channels != shape.Channels)
        {
            throw new ArgumentException(
                $"Normalisation has {normalization.Channels} channels; images have {shape.Channels}.",
                nameof(normalization));
        }

        Name = name;
        Shape = shape;
        ClassCount = classCount;
        _pixels = pixels;
        _labels = labels;
        Normalization = normalization ?? ComputeNormalization();
    }

    /// <summary>Dataset name, e.g. <c>fashion-mnist/train</c>.</summary>
    public string Name { get; }

    /// <summary>Shape of one image.</summary>
    public ImageShape Shape { get; }

    /// <summary>Number of channels per image.</summary>
    public int Channels => Shape.Channels;

    /// <summary>Image height in pixels.</summary>
    public int Height => Shape.Height;

    /// <summary>Image width in pixels.</summary>
    public int Width => Shape.Width;

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Statistics used by <see cref="CopyImageTo"/>.</summary>
    public ChannelNormalization Normalization { get; }

    /// <summary>All pixels, image after image, CHW within an image.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The CHW bytes of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _pixels.AsSpan(index * Shape.Size, Shape.Size);
    }

    /// <summary>The label of image <paramref name="index"/>.</summary>
    public int GetLabel(int index) => _labels[index];

    /// <summary>Writes image <paramref name="index"/> as normalised CHW floats.</summary>
    /// <remarks><paramref name="destination"/> needs at least <c>Shape.Size</c> values.</remarks>
    public void CopyImageTo(int index, Span<float> destination) =>
        Normalization.Apply(GetImage(index), destination, Shape.PlaneSize);

    /// <summary>Number of images of each class.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (int label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>A new dataset holding copies of the images at <paramref name="indices"/>, in that order.</summary>
    /// <remarks>The subset keeps this dataset's normalisation, so inputs stay comparable.</remarks>
    public ImageDataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        int size = Shape.Size;
        var pixels = new byte[(long)indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            GetImage(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = _labels[indices[i]];
        }

        return new ImageDataset(name ?? Name, Shape, ClassCount, pixels, labels, Normalization);
    }

    /// <summary>Per-channel mean and (population) standard deviation of the pixels on the [0, 1] scale.</summary>
    public ChannelNormalization ComputeNormalization()
    {
        int channels = Shape.Channels;
        int plane = Shape.PlaneSize;
        Span<float> mean = stackalloc float[channels];
        Span<float> std = stackalloc float[channels];
        for (int c = 0; c < channels; c++)
        {
            // Integer sums are exact (at most 255² · 2³¹ < 2⁶³), so the statistics do not depend on summation order.
            long sum = 0;
            long sumSquares = 0;
            for (int i = 0; i < Count; i++)
            {
                foreach (byte b in _pixels.AsSpan(i * Shape.Size + c * plane, plane))
                {
                    sum += b;
                    sumSquares += b * b;
                }
            }

            double n = Math.Max(1.0, (double)Count * plane);
            double m = sum / n;
            double variance = Math.Max(0.0, sumSquares / n - m * m);
            mean[c] = (float)(m / 255.0);
            // A constant image set has zero spread; fall back to 1 so normalisation stays finite.
            std[c] = variance > 0 ? (float)(Math.Sqrt(variance) / 255.0) : 1f;
        }

        return new ChannelNormalization(mean, std);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Count} images of {Shape}, {ClassCount} classes";
}

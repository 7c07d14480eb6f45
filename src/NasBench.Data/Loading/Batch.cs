using System.Buffers;

namespace NasBench.Data.Loading;

/// <summary>One mini-batch: normalised NCHW images and their labels, in buffers rented from the array pools.</summary>
/// <remarks>
/// <see cref="Images"/> holds <c>Count × C × H × W</c> valid values (the rented array may be longer; use
/// <see cref="ImageSpan"/>). <see cref="Labels"/> and <see cref="Indices"/> hold <see cref="Count"/> valid entries.
/// A batch belongs to its <see cref="BatchLoader"/>, which recycles it: it stays valid only until the consumer asks
/// for the next batch. Copy what must outlive that.
/// </remarks>
public sealed class Batch
{
    internal Batch(int capacity, ImageShape shape)
    {
        Capacity = capacity;
        Shape = shape;
        Images = ArrayPool<float>.Shared.Rent(capacity * shape.Size);
        Labels = ArrayPool<int>.Shared.Rent(capacity);
        Indices = ArrayPool<int>.Shared.Rent(capacity);
    }

    /// <summary>Pooled image buffer; the first <c>Count × Shape.Size</c> values are valid.</summary>
    public float[] Images { get; }

    /// <summary>Pooled label buffer; the first <see cref="Count"/> values are valid.</summary>
    public int[] Labels { get; }

    /// <summary>Dataset indices of the images, in batch order (for tracing and tests).</summary>
    public int[] Indices { get; }

    /// <summary>Shape of one image.</summary>
    public ImageShape Shape { get; }

    /// <summary>Largest number of images this batch can hold.</summary>
    public int Capacity { get; }

    /// <summary>Number of images in this batch (smaller than the batch size only for the last batch).</summary>
    public int Count { get; internal set; }

    /// <summary>Epoch this batch belongs to.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Position of this batch within its epoch, from 0.</summary>
    public int Number { get; internal set; }

    /// <summary>The valid images, NCHW.</summary>
    public Span<float> ImageSpan => Images.AsSpan(0, Count * Shape.Size);

    /// <summary>The valid labels.</summary>
    public ReadOnlySpan<int> LabelSpan => Labels.AsSpan(0, Count);

    /// <summary>The valid dataset indices.</summary>
    public ReadOnlySpan<int> IndexSpan => Indices.AsSpan(0, Count);

    /// <summary>The NCHW shape of <see cref="ImageSpan"/>.</summary>
    public (int N, int C, int H, int W) Dimensions => (Count, Shape.Channels, Shape.Height, Shape.Width);

    internal void Release()
    {
        ArrayPool<float>.Shared.Return(Images);
        ArrayPool<int>.Shared.Return(Labels);
        ArrayPool<int>.Shared.Return(Indices);
    }
}

using NasBench.Data.Formats;

namespace NasBench.Data.Tests;

/// <summary>Small synthetic datasets with seeded content.</summary>
internal static class TestImages
{
    public static ImageDataset Random(int count, ImageShape shape, int classes, int seed, string name = "synthetic")
    {
        var rng = new Random(seed);
        var pixels = new byte[count * shape.Size];
        rng.NextBytes(pixels);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = rng.Next(classes);
        }

        return new ImageDataset(name, shape, classes, pixels, labels);
    }

    /// <summary>Writes an image IDX and a label IDX for <paramref name="set"/> (grey images).</summary>
    public static (string Images, string Labels) WriteIdx(ImageDataset set, TempDirectory dir, string prefix, bool gzip)
    {
        string ext = gzip ? ".gz" : "";
        string images = dir.File($"{prefix}-images-idx3-ubyte{ext}");
        string labels = dir.File($"{prefix}-labels-idx1-ubyte{ext}");
        IdxWriter.Write(images, [set.Count, set.Height, set.Width], set.Pixels, gzip);
        IdxWriter.Write(labels, [set.Count], LabelBytes(set), gzip);
        return (images, labels);
    }

    public static byte[] LabelBytes(ImageDataset set)
    {
        var bytes = new byte[set.Count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)set.GetLabel(i);
        }

        return bytes;
    }

    /// <summary>A raw IDX file's bytes with the given header fields (for malformed-file tests).</summary>
    public static byte[] RawIdx(byte type, byte rank, int[] dims, int dataBytes)
    {
        using var stream = new MemoryStream();
        stream.Write([0, 0, type, rank]);
        Span<byte> be = stackalloc byte[4];
        foreach (int d in dims)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(be, d);
            stream.Write(be);
        }

        stream.Write(new byte[dataBytes]);
        return stream.ToArray();
    }
}

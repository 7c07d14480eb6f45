namespace NasBench.Data.Formats;

/// <summary>Reads the CIFAR-10 and CIFAR-100 binary versions (<c>*.bin</c>, raw or gzip).</summary>
/// <remarks>
/// Each record is the label byte(s) followed by a 32×32 colour image as three 1024-byte planes (R, G, B), row-major,
/// which is already CHW. A file must hold whole records; a partial last record, or a label out of range, raises
/// <see cref="DataFormatException"/> with the file, the offset and what was expected. For CIFAR-100 the dataset
/// uses the fine label (100 classes); the coarse label is still validated.
/// </remarks>
public static class CifarReader
{
    /// <summary>Image shape of every CIFAR record.</summary>
    public static readonly ImageShape Shape = new(3, 32, 32);

    /// <summary>Bytes in one record of <paramref name="format"/>.</summary>
    public static int RecordSize(CifarFormat format) => LabelBytes(format) + Shape.Size;

    /// <summary>Classes of <paramref name="format"/> (fine labels for CIFAR-100).</summary>
    public static int ClassCount(CifarFormat format) => format == CifarFormat.Cifar10 ? 10 : 100;

    /// <summary>Reads and concatenates the record files at <paramref name="paths"/> in order.</summary>
    public static ImageDataset Read(
        IReadOnlyList<string> paths, CifarFormat format, string name, ChannelNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parts = new List<(byte[] Pixels, int[] Labels)>(paths.Count);
        foreach (string path in paths)
        {
            using DataFile file = DataFile.Open(path);
            parts.Add(ReadRecords(file, format));
        }

        return Concatenate(parts, format, name, normalization);
    }

    /// <summary>Reads one record file from a seekable <paramref name="stream"/>; <paramref name="name"/> is used in
    /// errors.</summary>
    public static ImageDataset Read(
        Stream stream, string name, CifarFormat format, ChannelNormalization? normalization = null)
    {
        using DataFile file = DataFile.Wrap(stream, name);
        return Concatenate([ReadRecords(file, format)], format, name, normalization);
    }

    private static int LabelBytes(CifarFormat format) => format == CifarFormat.Cifar10 ? 1 : 2;

    private static (byte[] Pixels, int[] Labels) ReadRecords(DataFile file, CifarFormat format)
    {
        int labelBytes = LabelBytes(format);
        int recordSize = RecordSize(format);
        int imageSize = Shape.Size;
        var pixels = new List<byte[]>();
        var labels = new List<int>();
        byte[] record = new byte[recordSize];
        // Records are copied one by one because the (possibly compressed) length is unknown up front.
        var chunk = new byte[imageSize * 1000];
        int inChunk = 0;
        while (true)
        {
            long at = file.Position;
            int read = file.ReadAvailable(record);
            if (read == 0)
            {
                break;
            }

            if (read < recordSize)
            {
                throw file.Fail(at, $"a whole {recordSize}-byte record (record {labels.Count})",
                    $"end of file after {read} bytes");
            }

            if (format == CifarFormat.Cifar10)
            {
                labels.Add(CheckLabel(file, at, record[0], 10, "label"));
            }
            else
            {
                CheckLabel(file, at, record[0], 20, "coarse label");
                labels.Add(CheckLabel(file, at + 1, record[1], 100, "fine label"));
            }

            record.AsSpan(labelBytes).CopyTo(chunk.AsSpan(inChunk * imageSize));
            if (++inChunk == 1000)
            {
                pixels.Add(chunk);
                chunk = new byte[imageSize * 1000];
                inChunk = 0;
            }
        }

        if (labels.Count == 0)
        {
            throw file.Fail(0, $"at least one {recordSize}-byte record", "an empty file");
        }

        var all = new byte[(long)labels.Count * imageSize];
        int offset = 0;
        foreach (byte[] full in pixels)
        {
            full.CopyTo(all, offset);
            offset += full.Length;
        }

        chunk.AsSpan(0, inChunk * imageSize).CopyTo(all.AsSpan(offset));
        return (all, labels.ToArray());
    }

    private static int CheckLabel(DataFile file, long offset, byte label, int classes, string what)
    {
        if (label >= classes)
        {
            throw file.Fail(offset, $"a {what} in 0..{classes - 1}", label.ToString());
        }

        return label;
    }

    private static ImageDataset Concatenate(
        List<(byte[] Pixels, int[] Labels)> parts, CifarFormat format, string name, ChannelNormalization? normalization)
    {
        if (parts.Count == 1)
        {
            return new ImageDataset(name, Shape, ClassCount(format), parts[0].Pixels, parts[0].Labels, normalization);
        }

        long pixelCount = 0;
        int labelCount = 0;
        foreach ((byte[] p, int[] l) in parts)
        {
            pixelCount += p.Length;
            labelCount += l.Length;
        }

        var pixels = new byte[pixelCount];
        var labels = new int[labelCount];
        long po = 0;
        int lo = 0;
        foreach ((byte[] p, int[] l) in parts)
        {
            p.CopyTo(pixels, po);
            l.CopyTo(labels, lo);
            po += p.Length;
            lo += l.Length;
        }

        return new ImageDataset(name, Shape, ClassCount(format), pixels, labels, normalization);
    }
}

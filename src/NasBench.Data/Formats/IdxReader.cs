namespace NasBench.Data.Formats;

/// <summary>Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed.</summary>
/// <remarks>
/// Format (LeCun's MNIST page): a 4-byte magic <c>00 00 TT RR</c> with type code <c>TT</c> (only <c>08</c>, unsigned
/// byte, is used by these datasets) and rank <c>RR</c>; then <c>RR</c> big-endian 32-bit sizes; then the data,
/// row-major. Images are rank 3 (<c>N × H × W</c>), labels rank 1 (<c>N</c>). Any deviation, a short file or
/// trailing bytes raise <see cref="DataFormatException"/> naming the file, the offset and what was expected.
/// </remarks>
public static class IdxReader
{
    /// <summary>The IDX type code for unsigned bytes.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Reads the IDX file at <paramref name="path"/>, requiring rank <paramref
    /// name="expectedRank"/>.</summary>
    public static IdxFile Read(string path, int expectedRank)
    {
        using DataFile file = DataFile.Open(path);
        return Read(file, expectedRank);
    }

    /// <summary>Reads an IDX file from a seekable <paramref name="stream"/>; <paramref name="name"/> is used in
    /// errors.</summary>
    public static IdxFile Read(Stream stream, string name, int expectedRank)
    {
        using DataFile file = DataFile.Wrap(stream, name);
        return Read(file, expectedRank);
    }

    /// <summary>Reads an image file (rank 3) and its label file (rank 1) into a dataset.</summary>
    /// <remarks>The two files must hold the same number of items and every label must lie in <c>[0,
    /// classCount)</c>.</remarks>
    public static ImageDataset ReadDataset(
        string imagesPath, string labelsPath, string name, int classCount, ChannelNormalization? normalization = null)
    {
        IdxFile images = Read(imagesPath, 3);
        IdxFile labels = Read(labelsPath, 1);
        return ToDataset(images, labels, name, classCount, normalization);
    }

    /// <summary>Joins an image IDX (rank 3) and a label IDX (rank 1) into a dataset, validating labels.</summary>
    public static ImageDataset ToDataset(
        IdxFile images, IdxFile labels, string name, int classCount, ChannelNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Dimensions.Length != 3)
        {
            throw new DataFormatException(images.Name, 3, "3 dimensions (images)", images.Dimensions.Length.ToString(),
                false);
        }

        if (labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new DataFormatException(labels.Name, 4,
                $"{images.Dimensions[0]} labels (the item count of {images.Name})", labels.Dimensions[0].ToString(),
                false);
        }

        var result = new int[labels.Data.Length];
        for (int i = 0; i < result.Length; i++)
        {
            byte label = labels.Data[i];
            if (label >= classCount)
            {
                throw new DataFormatException(labels.Name, labels.DataOffset + i,
                    $"a label in 0..{classCount - 1}", label.ToString(), false);
            }

            result[i] = label;
        }

        var shape = new ImageShape(1, images.Dimensions[1], images.Dimensions[2]);
        return new ImageDataset(name, shape, classCount, images.Data, result, normalization);
    }

    private static IdxFile Read(DataFile file, int expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        file.ReadExactly(magic, "the IDX magic number");
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw file.Fail(0, $"IDX magic number 0x000008{expectedRank:X2} (two zero bytes first)",
                $"0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw file.Fail(2, $"type code 0x{UnsignedByteType:X2} (unsigned byte)", $"0x{magic[2]:X2}");
        }

        if (magic[3] != expectedRank)
        {
            string kind = expectedRank switch { 3 => " (images)", 1 => " (labels)", _ => "" };
            throw file.Fail(3, $"{expectedRank} dimensions{kind}", magic[3].ToString());
        }

        var dims = new int[expectedRank];
        long total = 1;
        for (int d = 0; d < expectedRank; d++)
        {
            long at = file.Position;
            uint size = file.ReadUInt32BigEndian($"the size of dimension {d}");
            total *= size;
            if (size > int.MaxValue || total > Array.MaxLength)
            {
                throw file.Fail(at, $"a size keeping the data under {Array.MaxLength} bytes", size.ToString());
            }

            dims[d] = (int)size;
        }

        var data = new byte[total];
        long dataStart = file.Position;
        int read = file.ReadAvailable(data);
        if (read < data.Length)
        {
            throw file.Fail(dataStart + read,
                $"{data.Length} data bytes ({string.Join('x', dims)}) from offset {dataStart}",
                $"end of file after {read} data bytes");
        }

        file.ExpectEnd($"{data.Length} data bytes");
        return new IdxFile(file.Name, dims, data);
    }
}

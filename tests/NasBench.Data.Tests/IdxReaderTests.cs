using System.IO.Compression;
using NasBench.Data.Formats;

namespace NasBench.Data.Tests;

public sealed class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trip_preserves_images_and_labels(bool gzip)
    {
        using var dir = new TempDirectory();
        ImageDataset original = TestImages.Random(37, new ImageShape(1, 7, 5), 10, seed: 3);
        (string images, string labels) = TestImages.WriteIdx(original, dir, "train", gzip);

        ImageDataset read = IdxReader.ReadDataset(images, labels, "read", 10);

        Assert.Equal(original.Shape, read.Shape);
        Assert.Equal(original.Pixels.ToArray(), read.Pixels.ToArray());
        Assert.Equal(original.Labels.ToArray(), read.Labels.ToArray());
        // Compression is detected from content: gzip and raw files must differ on disk.
        byte[] head = File.ReadAllBytes(images)[..2];
        Assert.Equal(gzip, head[0] == 0x1F && head[1] == 0x8B);
    }

    [Fact]
    public void Gzip_is_detected_by_content_not_by_name()
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels-without-extension");
        IdxWriter.Write(path, [3], [7, 8, 9], gzip: true);
        IdxFile file = IdxReader.Read(path, 1);
        Assert.Equal([7, 8, 9], file.Data);
        Assert.Equal([3], file.Dimensions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_names_file_offset_and_expected_size(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] full = TestImages.RawIdx(0x08, 3, [4, 3, 3], 36);
        string path = dir.File(gzip ? "short.gz" : "short");
        WriteMaybeGzip(path, full[..(16 + 30)], gzip);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 3));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(16 + 30, ex.Offset);
        Assert.Equal(gzip, ex.IsDecompressedOffset);
        Assert.Contains("36 data bytes", ex.Expected, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset 46", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header_is_reported_at_the_missing_field()
    {
        using var dir = new TempDirectory();
        string path = dir.File("header");
        File.WriteAllBytes(path, TestImages.RawIdx(0x08, 3, [4, 3, 3], 0)[..10]);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 3));

        Assert.Equal(8, ex.Offset);
        Assert.Contains("dimension 1", ex.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_number_is_reported_at_offset_zero()
    {
        using var dir = new TempDirectory();
        string path = dir.File("magic");
        byte[] bytes = TestImages.RawIdx(0x08, 1, [2], 2);
        bytes[1] = 0x42;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 1));

        Assert.Equal(0, ex.Offset);
        Assert.Contains("0x00000801", ex.Expected, StringComparison.Ordinal);
        Assert.Equal("0x00420801", ex.Found);
    }

    [Fact]
    public void Wrong_type_code_is_reported_at_offset_two()
    {
        using var dir = new TempDirectory();
        string path = dir.File("float");
        File.WriteAllBytes(path, TestImages.RawIdx(0x0D, 1, [2], 8));

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 1));

        Assert.Equal(2, ex.Offset);
        Assert.Contains("0x08", ex.Expected, StringComparison.Ordinal);
        Assert.Equal("0x0D", ex.Found);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wrong_dimension_count_is_reported_at_offset_three(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File("images");
        WriteMaybeGzip(path, TestImages.RawIdx(0x08, 2, [4, 9], 36), gzip);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 3));

        Assert.Equal(3, ex.Offset);
        Assert.Equal("3 dimensions (images)", ex.Expected);
        Assert.Equal("2", ex.Found);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_out_of_range_is_reported_at_its_byte()
    {
        using var dir = new TempDirectory();
        ImageDataset set = TestImages.Random(6, new ImageShape(1, 2, 2), 10, seed: 1);
        (string images, string labels) = TestImages.WriteIdx(set, dir, "train", gzip: true);
        byte[] bad = TestImages.LabelBytes(set);
        bad[4] = 10;
        IdxWriter.Write(labels, [6], bad, gzip: true);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset(images, labels, "x", 10));

        Assert.Equal(labels, ex.FilePath);
        Assert.Equal(8 + 4, ex.Offset);
        Assert.Equal("a label in 0..9", ex.Expected);
        Assert.Equal("10", ex.Found);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        using var dir = new TempDirectory();
        ImageDataset set = TestImages.Random(6, new ImageShape(1, 2, 2), 10, seed: 1);
        (string images, string labels) = TestImages.WriteIdx(set, dir, "train", gzip: false);
        IdxWriter.Write(labels, [5], new byte[5], gzip: false);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset(images, labels, "x", 10));

        Assert.Equal(labels, ex.FilePath);
        Assert.Equal(4, ex.Offset);
        Assert.StartsWith("6 labels", ex.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_an_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("long");
        byte[] bytes = TestImages.RawIdx(0x08, 1, [3], 4);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 1));

        Assert.Equal(8 + 3, ex.Offset);
        Assert.Contains("end of file", ex.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_stream_is_a_format_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("corrupt.gz");
        using (var ms = new MemoryStream())
        {
            byte[] data = Enumerable.Range(0, 64 * 64).Select(i => (byte)(i * 7)).ToArray();
            IdxWriter.Write(ms, [64, 8, 8], data, gzip: true);
            byte[] bytes = ms.ToArray();
            // Overwrite the deflate body (past the 10-byte gzip header) with a reserved block type (BTYPE = 11).
            for (int i = 10; i < bytes.Length - 8; i++)
            {
                bytes[i] = 0xFF;
            }

            File.WriteAllBytes(path, bytes);
        }

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path, 3));

        Assert.Equal(path, ex.FilePath);
        Assert.True(ex.IsDecompressedOffset);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    private static void WriteMaybeGzip(string path, byte[] content, bool gzip)
    {
        using var file = File.Create(path);
        if (gzip)
        {
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(content);
        }
        else
        {
            file.Write(content);
        }
    }
}

using NasBench.Data.Formats;

namespace NasBench.Data.Tests;

public sealed class CifarReaderTests
{
    [Fact]
    public void Cifar10_round_trip_over_several_files()
    {
        using var dir = new TempDirectory();
        ImageDataset a = TestImages.Random(5, CifarReader.Shape, 10, seed: 1);
        ImageDataset b = TestImages.Random(1003, CifarReader.Shape, 10, seed: 2);
        WriteFile(dir.File("a.bin"), a, CifarFormat.Cifar10);
        WriteFile(dir.File("b.bin"), b, CifarFormat.Cifar10);

        ImageDataset read = CifarReader.Read([dir.File("a.bin"), dir.File("b.bin")], CifarFormat.Cifar10, "c10");

        Assert.Equal(1008, read.Count);
        Assert.Equal(10, read.ClassCount);
        Assert.Equal([.. a.Pixels, .. b.Pixels], read.Pixels.ToArray());
        Assert.Equal([.. a.Labels, .. b.Labels], read.Labels.ToArray());
    }

    [Fact]
    public void Cifar100_round_trip_uses_fine_labels()
    {
        ImageDataset set = TestImages.Random(12, CifarReader.Shape, 100, seed: 4);
        int[] coarse = set.Labels.ToArray().Select(l => l / 5).ToArray();
        using var stream = new MemoryStream();
        CifarWriter.Write(stream, set, CifarFormat.Cifar100, coarse);
        Assert.Equal(12 * 3074, stream.Length);
        stream.Position = 0;

        ImageDataset read = CifarReader.Read(stream, "c100", CifarFormat.Cifar100);

        Assert.Equal(100, read.ClassCount);
        Assert.Equal(set.Pixels.ToArray(), read.Pixels.ToArray());
        Assert.Equal(set.Labels.ToArray(), read.Labels.ToArray());
    }

    [Fact]
    public void Record_layout_is_label_then_red_green_blue_planes()
    {
        var record = new byte[3073];
        record[0] = 7;
        record[1] = 11;           // R[0,0]
        record[1 + 1024] = 22;    // G[0,0]
        record[1 + 2048 + 33] = 33; // B[1,1]
        using var stream = new MemoryStream(record);

        ImageDataset read = CifarReader.Read(stream, "one", CifarFormat.Cifar10);

        Assert.Equal(7, read.GetLabel(0));
        Assert.Equal(11, read.GetImage(0)[0]);
        Assert.Equal(22, read.GetImage(0)[1024]);
        Assert.Equal(33, read.GetImage(0)[2048 + 32 + 1]);
    }

    [Fact]
    public void Truncated_record_names_file_offset_and_record_size()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data_batch_1.bin");
        WriteFile(path, TestImages.Random(3, CifarReader.Shape, 10, seed: 5), CifarFormat.Cifar10);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(2 * 3073 + 100)]);

        var ex = Assert.Throws<DataFormatException>(
            () => CifarReader.Read([path], CifarFormat.Cifar10, "c10"));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(2 * 3073, ex.Offset);
        Assert.Contains("3073-byte record", ex.Expected, StringComparison.Ordinal);
        Assert.Contains("100 bytes", ex.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_out_of_range_is_reported_at_its_byte()
    {
        byte[] bytes = new byte[3 * 3074];
        bytes[3074 + 1] = 100; // fine label of record 1
        using var stream = new MemoryStream(bytes);

        var ex = Assert.Throws<DataFormatException>(() => CifarReader.Read(stream, "train.bin", CifarFormat.Cifar100));

        Assert.Equal("train.bin", ex.FilePath);
        Assert.Equal(3074 + 1, ex.Offset);
        Assert.Equal("a fine label in 0..99", ex.Expected);
        Assert.Equal("100", ex.Found);
    }

    [Fact]
    public void Coarse_label_is_validated_too()
    {
        byte[] bytes = new byte[3074];
        bytes[0] = 20;
        using var stream = new MemoryStream(bytes);

        var ex = Assert.Throws<DataFormatException>(() => CifarReader.Read(stream, "test.bin", CifarFormat.Cifar100));

        Assert.Equal(0, ex.Offset);
        Assert.Equal("a coarse label in 0..19", ex.Expected);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        using var stream = new MemoryStream();
        var ex = Assert.Throws<DataFormatException>(() => CifarReader.Read(stream, "empty.bin", CifarFormat.Cifar10));
        Assert.Equal(0, ex.Offset);
    }

    private static void WriteFile(string path, ImageDataset set, CifarFormat format)
    {
        using var file = File.Create(path);
        CifarWriter.Write(file, set, format);
    }
}

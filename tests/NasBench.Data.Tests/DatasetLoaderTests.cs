using NasBench.Data.Formats;

namespace NasBench.Data.Tests;

public sealed class DatasetLoaderTests
{
    [FullDatasetFact]
    public void Full_set_is_used_when_installed()
    {
        // Loaded with no directory given: the default search must pick the installed set over the sample.
        DatasetPair pair = FullDatasetFactAttribute.Load();

        Assert.Equal(DatasetSource.Directory, pair.Source);
        Assert.Equal(FullDatasetFactAttribute.Directory, pair.Location);
        Assert.Equal(60000, pair.Train.Count);
        Assert.Equal(10000, pair.Test.Count);
        Assert.Equal(new ImageShape(1, 28, 28), pair.Train.Shape);
        Assert.All(pair.Train.CountPerClass(), n => Assert.Equal(6000, n));
        Assert.All(pair.Test.CountPerClass(), n => Assert.Equal(1000, n));
        // The catalogue's published statistics must be the ones this data actually has.
        ChannelNormalization measured = pair.Train.ComputeNormalization();
        Assert.Equal(DatasetCatalog.FashionMnist.Normalization.Mean[0], measured.Mean[0], 0.0005f);
        Assert.Equal(DatasetCatalog.FashionMnist.Normalization.Std[0], measured.Std[0], 0.0005f);
    }

    [Fact]
    public void Embedded_sample_is_the_fallback_when_no_directory_has_the_data()
    {
        using var empty = new TempDirectory();
        DatasetPair pair = DatasetLoader.Load("fashion-mnist", null, [empty.Path]);
        Assert.Equal(DatasetSource.EmbeddedSample, pair.Source);
        Assert.Equal(2000, pair.Train.Count);
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    [InlineData(true, "fashion-mnist")]
    public void Data_directory_is_read_raw_or_gzip_directly_or_in_a_named_subdirectory(bool gzip, string sub)
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, sub);
        Directory.CreateDirectory(target);
        ImageDataset train = TestImages.Random(30, new ImageShape(1, 28, 28), 10, seed: 1);
        ImageDataset test = TestImages.Random(8, new ImageShape(1, 28, 28), 10, seed: 2);
        WriteIdx(train, target, "train", gzip);
        WriteIdx(test, target, "t10k", gzip);

        DatasetPair pair = DatasetLoader.Load("Fashion_MNIST", dir.Path, []);

        Assert.Equal(DatasetSource.Directory, pair.Source);
        Assert.Equal(target.TrimEnd('/'), pair.Location.TrimEnd('/'));
        Assert.Equal(train.Pixels.ToArray(), pair.Train.Pixels.ToArray());
        Assert.Equal(test.Labels.ToArray(), pair.Test.Labels.ToArray());
    }

    [Fact]
    public void Cifar10_directory_is_read()
    {
        using var dir = new TempDirectory();
        string sub = Path.Combine(dir.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(sub);
        var parts = new List<ImageDataset>();
        string[] names = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"];
        foreach (string name in names)
        {
            ImageDataset set = TestImages.Random(4, CifarReader.Shape, 10, seed: parts.Count);
            parts.Add(set);
            using FileStream file = File.Create(Path.Combine(sub, name + ".bin"));
            CifarWriter.Write(file, set, CifarFormat.Cifar10);
        }

        DatasetPair pair = DatasetLoader.Load("cifar10", dir.Path);

        Assert.Equal(20, pair.Train.Count);
        Assert.Equal(4, pair.Test.Count);
        Assert.Equal(parts[5].Pixels.ToArray(), pair.Test.Pixels.ToArray());
        Assert.Equal(3, pair.Train.Normalization.Channels);
    }

    [Fact]
    public void Explicit_directory_without_the_files_is_an_error_not_a_fallback()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load("fashion-mnist", dir.Path));
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_without_a_sample_and_without_files_is_an_error()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load("cifar100", null, [dir.Path]));
        Assert.Contains("train.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_image_size_for_the_dataset_is_an_error()
    {
        using var dir = new TempDirectory();
        WriteIdx(TestImages.Random(3, new ImageShape(1, 20, 20), 10, seed: 1), dir.Path, "train", gzip: false);
        WriteIdx(TestImages.Random(3, new ImageShape(1, 20, 20), 10, seed: 2), dir.Path, "t10k", gzip: false);

        var ex = Assert.Throws<DataFormatException>(() => DatasetLoader.Load("mnist", dir.Path));

        Assert.Contains("1x28x28", ex.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetLoader.Load("imagenet"));
        Assert.Contains("fashion-mnist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cifar100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_entries_are_consistent()
    {
        Assert.All(DatasetCatalog.All, info =>
        {
            Assert.Equal(info.Shape.Channels, info.Normalization.Channels);
            Assert.Same(info, DatasetCatalog.Get(info.Name));
        });
        Assert.Equal(100, DatasetCatalog.Cifar100.ClassCount);
        Assert.Equal(100, DatasetCatalog.Cifar100.ClassNames.Distinct().Count());
    }

    private static void WriteIdx(ImageDataset set, string dir, string prefix, bool gzip)
    {
        string ext = gzip ? ".gz" : "";
        IdxWriter.Write(Path.Combine(dir, $"{prefix}-images-idx3-ubyte{ext}"), [set.Count, set.Height, set.Width],
            set.Pixels, gzip);
        IdxWriter.Write(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte{ext}"), [set.Count],
            TestImages.LabelBytes(set), gzip);
    }
}

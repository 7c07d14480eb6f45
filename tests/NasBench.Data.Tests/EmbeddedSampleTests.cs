namespace NasBench.Data.Tests;

public sealed class EmbeddedSampleTests
{
    [Fact]
    public void Sample_loads_with_the_documented_shapes_and_balance()
    {
        DatasetPair sample = EmbeddedSample.Load();

        Assert.Equal(DatasetSource.EmbeddedSample, sample.Source);
        Assert.Equal(new ImageShape(1, 28, 28), sample.Train.Shape);
        Assert.Equal(new ImageShape(1, 28, 28), sample.Test.Shape);
        Assert.Equal(10 * EmbeddedSample.TrainPerClass, sample.Train.Count);
        Assert.Equal(10 * EmbeddedSample.TestPerClass, sample.Test.Count);
        Assert.All(sample.Train.CountPerClass(), n => Assert.Equal(EmbeddedSample.TrainPerClass, n));
        Assert.All(sample.Test.CountPerClass(), n => Assert.Equal(EmbeddedSample.TestPerClass, n));
        Assert.Contains("embedded", sample.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_is_real_image_data_with_fashion_mnist_statistics()
    {
        DatasetPair sample = EmbeddedSample.Load();
        ChannelNormalization stats = sample.Train.ComputeNormalization();
        // A class-balanced draw of 2000 images lands near the full set's published mean 0.2860 and std 0.3530.
        Assert.InRange(stats.Mean[0], 0.26f, 0.31f);
        Assert.InRange(stats.Std[0], 0.33f, 0.37f);
        Assert.Equal(0.2860f, sample.Train.Normalization.Mean[0]);
    }

    [Fact]
    public void Sample_fits_the_size_budget()
    {
        Assert.InRange(EmbeddedSample.CompressedSize(), 1, 2 * 1024 * 1024);
    }

    [Fact]
    public void Balanced_draw_is_deterministic_and_balanced()
    {
        int[] labels = Enumerable.Range(0, 500).Select(i => (i * 7919) % 5).ToArray();
        int[] first = EmbeddedSample.DrawBalanced(labels, 5, 20, seed: 9);
        int[] again = EmbeddedSample.DrawBalanced(labels, 5, 20, seed: 9);
        int[] other = EmbeddedSample.DrawBalanced(labels, 5, 20, seed: 10);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(100, first.Distinct().Count());
        Assert.Equal(first.Order(), first);
        Assert.All(Enumerable.Range(0, 5), c => Assert.Equal(20, first.Count(i => labels[i] == c)));
    }

    [FullDatasetFact]
    public void Sample_matches_the_documented_draw_from_the_full_set()
    {
        DatasetPair full = FullDatasetFactAttribute.Load();
        DatasetPair sample = EmbeddedSample.Load();

        (ImageDataset train, ImageDataset test) = EmbeddedSample.Draw(full);

        Assert.Equal(train.Pixels.ToArray(), sample.Train.Pixels.ToArray());
        Assert.Equal(train.Labels.ToArray(), sample.Train.Labels.ToArray());
        Assert.Equal(test.Pixels.ToArray(), sample.Test.Pixels.ToArray());
        Assert.Equal(test.Labels.ToArray(), sample.Test.Labels.ToArray());
    }
}

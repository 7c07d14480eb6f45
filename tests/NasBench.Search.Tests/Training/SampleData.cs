using NasBench.Data;

namespace NasBench.Search.Tests.Training;

/// <summary>Small class-balanced slices of the embedded Fashion-MNIST sample, loaded once.</summary>
internal static class SampleData
{
    private static readonly Lazy<DatasetPair> Sample = new(EmbeddedSample.Load);

    /// <summary>The first <paramref name="train"/> training and <paramref name="test"/> test images (the sample is
    /// class-balanced and shuffled, so any prefix has all classes).</summary>
    public static (ImageDataset Train, ImageDataset Test) Slice(int train, int test)
    {
        var pair = Sample.Value;
        return (pair.Train.Subset(Enumerable.Range(0, train).ToArray()),
            pair.Test.Subset(Enumerable.Range(0, test).ToArray()));
    }
}

using NasBench.Data.Formats;

namespace NasBench.Data;

/// <summary>File format family of a catalogued dataset.</summary>
public enum DatasetFormat
{
    /// <summary>IDX files: <c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>,
    /// <c>t10k-*</c>.</summary>
    Idx,

    /// <summary>CIFAR-10 binary: <c>data_batch_1..5.bin</c>, <c>test_batch.bin</c>.</summary>
    Cifar10,

    /// <summary>CIFAR-100 binary: <c>train.bin</c>, <c>test.bin</c>.</summary>
    Cifar100,
}

/// <summary>What NasBench knows about a dataset before reading it: shape, classes, statistics and file
/// layout.</summary>
/// <remarks>
/// <see cref="Normalization"/> holds the published training-set statistics, used for both train and test so that the
/// embedded sample and the full set feed the network identically. <see cref="DirectoryNames"/> are the sub-directory
/// names tried under a data root (the Debian package uses <c>/usr/share/datasets/fashion-mnist</c>).
/// </remarks>
public sealed record DatasetInfo(
    string Name,
    string Title,
    DatasetFormat Format,
    ImageShape Shape,
    IReadOnlyList<string> ClassNames,
    ChannelNormalization Normalization,
    IReadOnlyList<string> DirectoryNames,
    bool HasEmbeddedSample)
{
    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The CIFAR record layout, for CIFAR datasets.</summary>
    internal CifarFormat CifarFormat => Format == DatasetFormat.Cifar100 ? CifarFormat.Cifar100 : CifarFormat.Cifar10;
}

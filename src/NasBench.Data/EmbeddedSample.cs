using System.Reflection;
using NasBench.Data.Formats;

namespace NasBench.Data;

/// <summary>The class-balanced Fashion-MNIST sample compiled into this assembly, and the recipe that drew it.</summary>
/// <remarks>
/// The sample is <see cref="TrainPerClass"/> training and <see cref="TestPerClass"/> test images per class, drawn
/// with <see cref="DrawBalanced"/> from the full Fashion-MNIST set (Debian package <c>dataset-fashion-mnist</c>) with
/// seeds <see cref="Seed"/> (train) and <see cref="Seed"/>+1 (test), and stored as four gzip IDX files. Rebuild it
/// with <c>dotnet run tools/make-fashion-sample.cs</c>; a test checks that the recipe reproduces the stored images.
/// </remarks>
public static class EmbeddedSample
{
    /// <summary>Training images per class in the sample.</summary>
    public const int TrainPerClass = 200;

    /// <summary>Test images per class in the sample.</summary>
    public const int TestPerClass = 50;

    /// <summary>Seed of the training draw; the test draw uses <c>Seed + 1</c>.</summary>
    public const int Seed = 2017;

    /// <summary>Prefix of the manifest resource names.</summary>
    public const string ResourcePrefix = "NasBench.Data.Samples.fashion-mnist.";

    /// <summary>The four IDX file names, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    /// <summary>Loads the embedded sample.</summary>
    public static DatasetPair Load()
    {
        DatasetInfo info = DatasetCatalog.FashionMnist;
        ImageDataset train = IdxReader.ToDataset(ReadResource(FileNames[0], 3), ReadResource(FileNames[1], 1),
            $"{info.Name}/train-sample", info.ClassCount, info.Normalization);
        ImageDataset test = IdxReader.ToDataset(ReadResource(FileNames[2], 3), ReadResource(FileNames[3], 1),
            $"{info.Name}/test-sample", info.ClassCount, info.Normalization);
        return new DatasetPair(info, train, test, DatasetSource.EmbeddedSample, "embedded:" + ResourcePrefix);
    }

    /// <summary>Total size in bytes of the embedded (compressed) files.</summary>
    public static long CompressedSize()
    {
        long total = 0;
        foreach (string file in FileNames)
        {
            using Stream stream = OpenResource(file);
            total += stream.Length;
        }

        return total;
    }

    /// <summary>Draws <paramref name="perClass"/> indices of every class, seeded; returned in ascending
    /// order.</summary>
    /// <remarks>
    /// Classes are visited in order 0..K−1; each class's indices (in dataset order) are Fisher–Yates shuffled with
    /// one <see cref="Random"/>(<paramref name="seed"/>) shared across classes and the first <paramref
    /// name="perClass"/>
    /// kept. Sorting the union keeps the sample a subsequence of the source set.
    /// </remarks>
    public static int[] DrawBalanced(ReadOnlySpan<int> labels, int classCount, int perClass, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            byClass[c] = [];
        }

        for (int i = 0; i < labels.Length; i++)
        {
            byClass[labels[i]].Add(i);
        }

        var rng = new Random(seed);
        var picked = new List<int>(classCount * perClass);
        for (int c = 0; c < classCount; c++)
        {
            int[] members = [.. byClass[c]];
            if (members.Length < perClass)
            {
                throw new ArgumentException($"Class {c} has {members.Length} images; {perClass} requested.",
                    nameof(perClass));
            }

            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }

            picked.AddRange(members.AsSpan(0, perClass));
        }

        picked.Sort();
        return [.. picked];
    }

    /// <summary>Draws the sample from <paramref name="full"/> with the documented recipe.</summary>
    public static (ImageDataset Train, ImageDataset Test) Draw(DatasetPair full)
    {
        ArgumentNullException.ThrowIfNull(full);
        int[] train = DrawBalanced(full.Train.Labels, full.Info.ClassCount, TrainPerClass, Seed);
        int[] test = DrawBalanced(full.Test.Labels, full.Info.ClassCount, TestPerClass, Seed + 1);
        return (full.Train.Subset(train, $"{full.Info.Name}/train-sample"),
            full.Test.Subset(test, $"{full.Info.Name}/test-sample"));
    }

    /// <summary>Draws the sample from <paramref name="full"/> and writes the four gzip IDX files to <paramref
    /// name="directory"/>.</summary>
    public static void Write(DatasetPair full, string directory)
    {
        (ImageDataset train, ImageDataset test) = Draw(full);
        System.IO.Directory.CreateDirectory(directory);
        WritePair(train, Path.Combine(directory, FileNames[0]), Path.Combine(directory, FileNames[1]));
        WritePair(test, Path.Combine(directory, FileNames[2]), Path.Combine(directory, FileNames[3]));
    }

    private static void WritePair(ImageDataset set, string imagesPath, string labelsPath)
    {
        IdxWriter.Write(imagesPath, [set.Count, set.Height, set.Width], set.Pixels, gzip: true);
        var labels = new byte[set.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)set.GetLabel(i);
        }

        IdxWriter.Write(labelsPath, [set.Count], labels, gzip: true);
    }

    private static IdxFile ReadResource(string file, int rank)
    {
        using Stream stream = OpenResource(file);
        return IdxReader.Read(stream, "embedded:" + file, rank);
    }

    private static Stream OpenResource(string file) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new FileNotFoundException($"Embedded resource {ResourcePrefix + file} is missing from NasBench.Data.");
}

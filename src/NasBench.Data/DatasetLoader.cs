using NasBench.Data.Formats;

namespace NasBench.Data;

/// <summary>Loads a catalogued dataset from <c>--data DIR</c>, the system location, or the embedded sample.</summary>
/// <remarks>
/// Order of precedence: an explicit <c>dataDir</c> (an error if the files are not there, never a silent fallback);
/// otherwise <c>/usr/share/datasets/&lt;name&gt;</c> (Debian's <c>dataset-fashion-mnist</c> installs there);
/// otherwise the embedded sample where one exists. Within a directory, the files may sit directly in it or in a
/// sub-directory named as in <see cref="DatasetInfo.DirectoryNames"/>; IDX files may be raw or <c>.gz</c>.
/// </remarks>
public static class DatasetLoader
{
    /// <summary>Roots searched when no directory is given.</summary>
    public static IReadOnlyList<string> SystemRoots { get; } = ["/usr/share/datasets"];

    /// <summary>Loads <paramref name="name"/> (see <see cref="DatasetCatalog"/>) and says which source was
    /// used.</summary>
    /// <exception cref="FileNotFoundException">No copy was found; the message lists the places and files looked
    /// for.</exception>
    /// <exception cref="DataFormatException">A file was found but is truncated or corrupt.</exception>
    public static DatasetPair Load(string name, string? dataDir = null) => Load(name, dataDir, SystemRoots);

    /// <summary>As <see cref="Load(string, string?)"/> with explicit system roots (tests point these
    /// elsewhere).</summary>
    public static DatasetPair Load(string name, string? dataDir, IReadOnlyList<string> systemRoots)
    {
        ArgumentNullException.ThrowIfNull(systemRoots);
        DatasetInfo info = DatasetCatalog.Get(name);
        var looked = new List<string>();
        if (dataDir is not null)
        {
            if (!System.IO.Directory.Exists(dataDir))
            {
                throw new DirectoryNotFoundException($"Data directory '{dataDir}' does not exist.");
            }

            DatasetFiles files = Find(info, [dataDir], looked)
                ?? throw new FileNotFoundException(
                    $"{info.Title} not found under '{dataDir}'. Looked for {string.Join("; ", looked)}.");
            return Read(info, files);
        }

        DatasetFiles? system = Find(info, systemRoots, looked);
        if (system is not null)
        {
            return Read(info, system);
        }

        if (info.HasEmbeddedSample)
        {
            return EmbeddedSample.Load();
        }

        throw new FileNotFoundException(
            $"{info.Title} not found and no embedded sample exists for it; pass a data directory. " +
            $"Looked for {string.Join("; ", looked)}.");
    }

    /// <summary>The files for <paramref name="info"/> in the first directory that has all of them, or null.</summary>
    internal static DatasetFiles? Find(DatasetInfo info, IReadOnlyList<string> roots, List<string> looked)
    {
        foreach (string root in roots)
        {
            var candidates = new List<string> { root };
            candidates.AddRange(info.DirectoryNames.Select(d => Path.Combine(root, d)));
            foreach (string dir in candidates)
            {
                if (!System.IO.Directory.Exists(dir))
                {
                    continue;
                }

                DatasetFiles? files = info.Format switch
                {
                    DatasetFormat.Idx => FindIdx(dir),
                    DatasetFormat.Cifar10 => FindAll(dir,
                        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                            "data_batch_5.bin"], ["test_batch.bin"]),
                    _ => FindAll(dir, ["train.bin"], ["test.bin"]),
                };
                if (files is not null)
                {
                    return files;
                }
            }

            looked.Add(info.Format switch
            {
                DatasetFormat.Idx =>
                    $"train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-* in {Describe(candidates)}",
                DatasetFormat.Cifar10 => $"data_batch_1..5.bin, test_batch.bin in {Describe(candidates)}",
                _ => $"train.bin, test.bin in {Describe(candidates)}",
            });
        }

        return null;
    }

    private static string Describe(List<string> dirs) => string.Join(" or ", dirs);

    private static DatasetFiles? FindIdx(string dir)
    {
        string? trainImages = FindIdxFile(dir, "train-images", "idx3-ubyte");
        string? trainLabels = FindIdxFile(dir, "train-labels", "idx1-ubyte");
        string? testImages = FindIdxFile(dir, "t10k-images", "idx3-ubyte");
        string? testLabels = FindIdxFile(dir, "t10k-labels", "idx1-ubyte");
        return trainImages is null || trainLabels is null || testImages is null || testLabels is null
            ? null
            : new DatasetFiles(dir, [trainImages, trainLabels], [testImages, testLabels]);
    }

    private static string? FindIdxFile(string dir, string stem, string suffix)
    {
        // LeCun's site writes "train-images-idx3-ubyte", some mirrors "train-images.idx3-ubyte".
        foreach (string name in (ReadOnlySpan<string>)[$"{stem}-{suffix}", $"{stem}.{suffix}"])
        {
            foreach (string ext in (ReadOnlySpan<string>)["", ".gz"])
            {
                string path = Path.Combine(dir, name + ext);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static DatasetFiles? FindAll(string dir, string[] train, string[] test)
    {
        string[] trainPaths = train.Select(f => Path.Combine(dir, f)).ToArray();
        string[] testPaths = test.Select(f => Path.Combine(dir, f)).ToArray();
        return trainPaths.Concat(testPaths).All(File.Exists) ? new DatasetFiles(dir, trainPaths, testPaths) : null;
    }

    private static DatasetPair Read(DatasetInfo info, DatasetFiles files)
    {
        ImageDataset train;
        ImageDataset test;
        if (info.Format == DatasetFormat.Idx)
        {
            train = IdxReader.ReadDataset(files.Train[0], files.Train[1], $"{info.Name}/train", info.ClassCount,
                info.Normalization);
            test = IdxReader.ReadDataset(files.Test[0], files.Test[1], $"{info.Name}/test", info.ClassCount,
                info.Normalization);
        }
        else
        {
            train = CifarReader.Read(files.Train, info.CifarFormat, $"{info.Name}/train", info.Normalization);
            test = CifarReader.Read(files.Test, info.CifarFormat, $"{info.Name}/test", info.Normalization);
        }

        CheckShape(info, train, files.Train[0]);
        CheckShape(info, test, files.Test[0]);
        return new DatasetPair(info, train, test, DatasetSource.Directory, files.Directory);
    }

    private static void CheckShape(DatasetInfo info, ImageDataset set, string file)
    {
        if (set.Shape != info.Shape)
        {
            throw new DataFormatException(file, 8, $"{info.Title} images of {info.Shape}", set.Shape.ToString(), false);
        }
    }

    /// <summary>The files of one dataset: train and test (IDX: images then labels; CIFAR: record files).</summary>
    internal sealed record DatasetFiles(string Directory, IReadOnlyList<string> Train, IReadOnlyList<string> Test);
}

using System.CommandLine;
using NasBench.Data;

namespace NasBench.Cli.Commands;

/// <summary>Loads the dataset a verb was asked for and turns the loader's exceptions into one-line user errors.
/// </summary>
internal static class DataOptions
{
    /// <summary><c>--dataset</c>, shared by every verb that trains.</summary>
    public static Option<string> Dataset() => new("--dataset")
    {
        Description = "Dataset: fashion-mnist, mnist, cifar10 or cifar100.",
        DefaultValueFactory = _ => "fashion-mnist",
    };

    /// <summary><c>--data</c>: where the dataset files are.</summary>
    public static Option<string?> DataDirectory() => new("--data")
    {
        Description = "Directory holding the dataset files (default: /usr/share/datasets/<name>, then the " +
                      "embedded Fashion-MNIST sample).",
    };

    /// <summary><c>--sample</c>: force the embedded sample.</summary>
    public static Option<bool> Sample() => new("--sample")
    {
        Description = "Use the embedded 2000 + 500 image Fashion-MNIST sample even if the full set is installed.",
    };

    /// <summary><c>--output</c>: the parent of run directories.</summary>
    public static Option<string> Output() => new("--output")
    {
        Description = "Parent directory of run directories.",
        DefaultValueFactory = _ => "runs",
    };

    /// <summary>Loads <paramref name="name"/> from <paramref name="dataDir"/>, the system location or (with
    /// <paramref name="sample"/>, or when nothing else is found) the embedded sample, then keeps the first
    /// <paramref name="trainLimit"/> / <paramref name="testLimit"/> images when those are positive.</summary>
    public static DatasetPair Load(string name, string? dataDir, bool sample, int trainLimit, int testLimit)
    {
        DatasetPair pair;
        try
        {
            if (sample)
            {
                var info = DatasetCatalog.Get(name);
                if (!info.HasEmbeddedSample)
                {
                    throw new CliException($"--sample: {info.Title} has no embedded sample (only fashion-mnist has).");
                }
                pair = EmbeddedSample.Load();
            }
            else
            {
                pair = DatasetLoader.Load(name, dataDir);
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new CliException(e.Message, e);
        }
        if (trainLimit < 0 || testLimit < 0)
        {
            throw new CliException($"--train-limit and --test-limit must be ≥ 0, got {trainLimit} and {testLimit}.");
        }
        var train = trainLimit > 0 && trainLimit < pair.Train.Count
            ? pair.Train.Subset(Enumerable.Range(0, trainLimit).ToArray())
            : pair.Train;
        var test = testLimit > 0 && testLimit < pair.Test.Count
            ? pair.Test.Subset(Enumerable.Range(0, testLimit).ToArray())
            : pair.Test;
        return pair with { Train = train, Test = test };
    }
}

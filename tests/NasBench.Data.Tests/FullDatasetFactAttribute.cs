namespace NasBench.Data.Tests;

/// <summary>A fact that runs only where Debian's <c>dataset-fashion-mnist</c> is installed, and says so
/// otherwise.</summary>
public sealed class FullDatasetFactAttribute : FactAttribute
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    private static readonly Lazy<DatasetPair> Full = new(() => DatasetLoader.Load("fashion-mnist"));

    /// <summary>The full set as the default search finds it, read once for all tests (decompressing 30 MB takes seconds
    /// on a busy machine).</summary>
    public static DatasetPair Load() => Full.Value;

    public FullDatasetFactAttribute()
    {
        if (!File.Exists(Path.Combine(Directory, "train-images-idx3-ubyte.gz")))
        {
            Skip = $"The full Fashion-MNIST set is absent ({Directory}); install Debian's dataset-fashion-mnist.";
        }
    }
}

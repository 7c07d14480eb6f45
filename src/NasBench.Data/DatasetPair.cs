namespace NasBench.Data;

/// <summary>A dataset's training and test sets, with where they were read from.</summary>
/// <param name="Info">The catalogue entry.</param>
/// <param name="Train">The training set (split it further with <see cref="DataSplit"/> for bi-level search).</param>
/// <param name="Test">The held-out test set.</param>
/// <param name="Source">Embedded sample or full set from a directory.</param>
/// <param name="Location">The directory read, or <c>embedded:</c> followed by the resource prefix.</param>
public sealed record DatasetPair(
    DatasetInfo Info, ImageDataset Train, ImageDataset Test, DatasetSource Source, string Location)
{
    /// <summary>One line for logs and reports, e.g. <c>Fashion-MNIST: embedded sample (2000 train, 500
    /// test)</c>.</summary>
    public string Describe() => Source == DatasetSource.EmbeddedSample
        ? $"{Info.Title}: embedded class-balanced sample ({Train.Count} train, {Test.Count} test)"
        : $"{Info.Title}: full set from {Location} ({Train.Count} train, {Test.Count} test)";
}

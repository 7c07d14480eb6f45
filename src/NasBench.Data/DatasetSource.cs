namespace NasBench.Data;

/// <summary>Where a loaded dataset came from.</summary>
public enum DatasetSource
{
    /// <summary>The small class-balanced sample compiled into NasBench.Data (Fashion-MNIST only).</summary>
    EmbeddedSample,

    /// <summary>The full dataset read from a directory (<c>--data DIR</c> or the system location).</summary>
    Directory,
}

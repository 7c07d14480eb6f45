namespace NasBench.Data.Formats;

/// <summary>A dataset file is truncated or does not hold what its format promises.</summary>
/// <remarks>
/// The message names the file, the byte offset and what was expected there, e.g.
/// <c>train-images-idx3-ubyte.gz: at offset 3 (decompressed): expected 3 dimensions (images), found 2</c>.
/// For gzip files the offset counts decompressed bytes, because that is where the format's fields live.
/// </remarks>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    public DataFormatException(string filePath, long offset, string expected, string found, bool decompressed,
        Exception? innerException = null)
        : base(Compose(filePath, offset, expected, found, decompressed), innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Expected = expected;
        Found = found;
        IsDecompressedOffset = decompressed;
    }

    /// <summary>The file that failed to parse, as it was given to the reader.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the fault; in the decompressed stream when <see cref="IsDecompressedOffset"/>.</summary>
    public long Offset { get; }

    /// <summary>What the format requires at <see cref="Offset"/>.</summary>
    public string Expected { get; }

    /// <summary>What the file holds there instead.</summary>
    public string Found { get; }

    /// <summary>True when <see cref="Offset"/> counts bytes after gzip decompression.</summary>
    public bool IsDecompressedOffset { get; }

    private static string Compose(string filePath, long offset, string expected, string found, bool decompressed) =>
        $"{filePath}: at offset {offset}{(decompressed ? " (decompressed)" : "")}: expected {expected}, found {found}";
}

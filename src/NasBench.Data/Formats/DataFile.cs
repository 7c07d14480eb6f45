using System.Buffers.Binary;
using System.IO.Compression;

namespace NasBench.Data.Formats;

/// <summary>Sequential reader over a raw or gzip-compressed dataset file that reports faults with offsets.</summary>
/// <remarks>
/// Compression is detected from the gzip magic bytes (1F 8B), not the file name, so a renamed file still reads.
/// <see cref="Position"/> counts bytes delivered to the caller (decompressed bytes for gzip).
/// </remarks>
internal sealed class DataFile : IDisposable
{
    private readonly Stream _stream;

    private DataFile(Stream stream, string name, bool compressed)
    {
        _stream = stream;
        Name = name;
        IsCompressed = compressed;
    }

    /// <summary>The file name used in error messages.</summary>
    public string Name { get; }

    /// <summary>True when the content is gzip-compressed.</summary>
    public bool IsCompressed { get; }

    /// <summary>Bytes read so far (decompressed).</summary>
    public long Position { get; private set; }

    /// <summary>Opens <paramref name="path"/>, detecting gzip.</summary>
    public static DataFile Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Wrap(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a seekable <paramref name="stream"/> (taken over), detecting gzip.</summary>
    public static DataFile Wrap(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable so gzip can be detected.", nameof(stream));
        }

        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        bool gzip = n == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        Stream content = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false) : stream;
        return new DataFile(content, name, gzip);
    }

    /// <summary>Fills <paramref name="buffer"/> or throws naming <paramref name="what"/> at the current
    /// offset.</summary>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        long start = Position;
        int read = ReadAvailable(buffer);
        if (read < buffer.Length)
        {
            throw Fail(start, $"{what} ({buffer.Length} bytes)", $"end of file after {read} bytes");
        }
    }

    /// <summary>Reads a big-endian 32-bit unsigned integer (IDX header fields).</summary>
    public uint ReadUInt32BigEndian(string what)
    {
        Span<byte> b = stackalloc byte[4];
        ReadExactly(b, what);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    /// <summary>Reads as much as is available into <paramref name="buffer"/>; returns the count.</summary>
    public int ReadAvailable(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = _stream.Read(buffer[total..]);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }
        }
        catch (InvalidDataException ex)
        {
            // Corrupt deflate data: report where the decompressed content stopped making sense.
            throw new DataFormatException(Name, Position + total, "valid gzip data", ex.Message, IsCompressed, ex);
        }

        Position += total;
        return total;
    }

    /// <summary>Throws unless the file ends here.</summary>
    public void ExpectEnd(string afterWhat)
    {
        Span<byte> probe = stackalloc byte[1];
        long at = Position;
        if (ReadAvailable(probe) != 0)
        {
            throw Fail(at, $"end of file after {afterWhat}", "extra data");
        }
    }

    /// <summary>Builds a <see cref="DataFormatException"/> for this file.</summary>
    public DataFormatException Fail(long offset, string expected, string found) =>
        new(Name, offset, expected, found, IsCompressed);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}

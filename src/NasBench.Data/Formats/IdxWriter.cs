using System.Buffers.Binary;
using System.IO.Compression;

namespace NasBench.Data.Formats;

/// <summary>Writes IDX files of unsigned bytes, raw or gzip-compressed (the embedded sample and tests use
/// it).</summary>
/// <remarks>The layout is the one <see cref="IdxReader"/> reads: magic <c>00 00 08 rank</c>, big-endian sizes,
/// data.</remarks>
public static class IdxWriter
{
    /// <summary>Writes <paramref name="data"/> with <paramref name="dimensions"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, bool gzip)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(file, dimensions, data, gzip);
    }

    /// <summary>Writes an IDX file to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (dimensions.Length is 0 or > 255)
        {
            throw new ArgumentException("IDX needs 1 to 255 dimensions.", nameof(dimensions));
        }

        long total = 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            total *= d;
        }

        if (total != data.Length)
        {
            throw new ArgumentException($"Dimensions describe {total} bytes; data has {data.Length}.", nameof(data));
        }

        Stream target = gzip ? new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true) : stream;
        try
        {
            Span<byte> header = stackalloc byte[4];
            header[0] = 0;
            header[1] = 0;
            header[2] = IdxReader.UnsignedByteType;
            header[3] = (byte)dimensions.Length;
            target.Write(header);
            foreach (int d in dimensions)
            {
                BinaryPrimitives.WriteInt32BigEndian(header, d);
                target.Write(header);
            }

            target.Write(data);
        }
        finally
        {
            if (gzip)
            {
                target.Dispose();
            }
        }
    }
}

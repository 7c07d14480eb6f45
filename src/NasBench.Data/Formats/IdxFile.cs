namespace NasBench.Data.Formats;

/// <summary>The content of an IDX file of unsigned bytes: its dimensions and its data.</summary>
/// <remarks>
/// <see cref="Data"/> is row-major over <see cref="Dimensions"/> (the first dimension is the item count).
/// <see cref="DataOffset"/> is the byte offset of <c>Data[0]</c> in the (decompressed) file, <c>4 + 4·rank</c>,
/// so faults found in the data can be reported at their place in the file.
/// </remarks>
public sealed record IdxFile(string Name, int[] Dimensions, byte[] Data)
{
    /// <summary>Offset of the first data byte in the (decompressed) file.</summary>
    public long DataOffset => 4 + 4L * Dimensions.Length;
}

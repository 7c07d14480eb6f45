namespace NasBench.Hardware.Latency;

/// <summary>Reads or writes a table as JSON or CSV by the file's extension.</summary>
public static class LatencyTableIo
{
    /// <exception cref="LatencyTableFormatException">Missing or malformed file (names the file and entry).</exception>
    public static LatencyTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new LatencyTableFormatException($"{path}: latency table file not found.");
        }
        return IsCsv(path) ? LatencyTableCsv.Read(path) : LatencyTableJson.Read(path);
    }

    public static void Write(LatencyTable table, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (IsCsv(path))
        {
            LatencyTableCsv.Write(table, path);
        }
        else
        {
            LatencyTableJson.Write(table, path);
        }
    }

    private static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
}

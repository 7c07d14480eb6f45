using System.Globalization;
using System.Text;
using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Latency;

/// <summary>CSV form of a latency table, for spreadsheets and for importing tables measured with other tools.
/// </summary>
/// <remarks>Layout: optional <c># name: value</c> lines for the fingerprint (target, device, coresUsed,
/// simdWidthBits, runtime, os, gpu, gpuDriver, clock, space), then the header
/// <c>op,cin,cout,h,w,stride,kernel,dilation,batch,median_ms,iqr_ms,samples</c> (the last two optional) and one row
/// per entry. A file without fingerprint lines is imported as target = file name, device = "unknown".</remarks>
public static class LatencyTableCsv
{
    private static readonly string[] Header =
        ["op", "cin", "cout", "h", "w", "stride", "kernel", "dilation", "batch", "median_ms", "iqr_ms", "samples"];

    public static string ToCsv(LatencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var f = table.Fingerprint;
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"# target: {f.Target}\n# device: {f.Device}\n# coresUsed: {f.CoresUsed}\n")
            .Append(c, $"# simdWidthBits: {f.SimdWidthBits}\n# runtime: {f.Runtime}\n# os: {f.Os}\n");
        if (f.Gpu is not null)
        {
            sb.Append(c, $"# gpu: {f.Gpu}\n# gpuDriver: {f.GpuDriver}\n");
        }
        sb.Append(c, $"# clock: {f.Clock}\n# space: {table.Space}\n").Append(string.Join(',', Header)).Append('\n');
        foreach (var e in table.Entries)
        {
            var o = e.Operation;
            sb.Append(c, $"{o.Operation},{o.InChannels},{o.OutChannels},{o.Height},{o.Width},{o.Stride},{o.Kernel},")
                .Append(c, $"{o.Dilation},{o.Batch},{e.MedianMs:R},{e.IqrMs:R},{e.Samples}\n");
        }
        return sb.ToString();
    }

    public static void Write(LatencyTable table, string path) =>
        File.WriteAllText(path, ToCsv(table), new UTF8Encoding(false));

    /// <exception cref="LatencyTableFormatException">Bad header, a bad row or number; names the file and line.
    /// </exception>
    public static LatencyTable Read(string path)
    {
        try
        {
            return Parse(File.ReadAllLines(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LatencyTableFormatException($"{path}: cannot read the latency table: {e.Message}", e);
        }
    }

    public static LatencyTable Parse(IReadOnlyList<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var entries = new List<LatencyEntry>();
        bool headerSeen = false;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '#')
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 1)
                {
                    meta[line[1..colon].Trim()] = line[(colon + 1)..].Trim();
                }
                continue;
            }
            string[] cells = line.Split(',');
            if (!headerSeen)
            {
                if (cells.Length < 10 || !cells.Take(10).Select(s => s.Trim()).SequenceEqual(Header.Take(10)))
                {
                    throw new LatencyTableFormatException(
                        $"{source}: line {i + 1}: header '{line}'; expected '{string.Join(',', Header)}'.");
                }
                headerSeen = true;
                continue;
            }
            if (cells.Length < 10)
            {
                throw new LatencyTableFormatException(
                    $"{source}: line {i + 1}: {cells.Length} columns; expected at least 10.");
            }
            string where = $"line {i + 1}";
            var op = new OperationConfig(cells[0].Trim(), Int(cells[1], source, where, "cin"),
                Int(cells[2], source, where, "cout"), Int(cells[3], source, where, "h"),
                Int(cells[4], source, where, "w"), Int(cells[5], source, where, "stride"),
                Int(cells[6], source, where, "kernel"), Int(cells[7], source, where, "dilation"),
                Int(cells[8], source, where, "batch"));
            where = $"line {i + 1} '{op.Key}'";
            double median = Double(cells[9], source, where, "median_ms");
            double iqr = cells.Length > 10 ? Double(cells[10], source, where, "iqr_ms") : 0;
            int samples = cells.Length > 11 ? Int(cells[11], source, where, "samples") : 0;
            if (!double.IsFinite(median) || median <= 0)
            {
                throw new LatencyTableFormatException(
                    $"{source}: {where}: median_ms is {median}; expected a finite value > 0.");
            }
            entries.Add(new LatencyEntry(op, median, iqr, samples));
        }
        if (!headerSeen)
        {
            throw new LatencyTableFormatException($"{source}: no header line '{string.Join(',', Header)}'.");
        }
        string Meta(string key, string fallback) => meta.TryGetValue(key, out var v) ? v : fallback;
        var fingerprint = new TargetFingerprint(
            Meta("target", Path.GetFileNameWithoutExtension(source)),
            Meta("device", "unknown"),
            int.TryParse(Meta("coresUsed", "0"), CultureInfo.InvariantCulture, out int cores) ? cores : 0,
            int.TryParse(Meta("simdWidthBits", "0"), CultureInfo.InvariantCulture, out int simd) ? simd : 0,
            Meta("runtime", "unknown"),
            Meta("os", "unknown"),
            meta.GetValueOrDefault("gpu"),
            meta.GetValueOrDefault("gpuDriver"),
            Meta("clock", TargetFingerprint.WallClock));
        return new LatencyTable(fingerprint, Meta("space", ""), entries, source);
    }

    private static int Int(string cell, string source, string where, string column) =>
        int.TryParse(cell.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new LatencyTableFormatException($"{source}: {where}: {column} '{cell}' is not an integer.");

    private static double Double(string cell, string source, string where, string column) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new LatencyTableFormatException($"{source}: {where}: {column} '{cell}' is not a number.");
}

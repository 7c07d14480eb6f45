namespace NasBench.Hardware.Latency;

/// <summary>Profiled tables kept per fingerprint: <c>&lt;root&gt;/&lt;fingerprint key&gt;/&lt;name&gt;.json</c>, so a
/// table is reused only on the machine, core count, ISA and runtime it was measured with.</summary>
/// <param name="root">Defaults to <c>$NASBENCH_CACHE</c>, else <c>$XDG_CACHE_HOME/nasbench/latency</c>, else
/// <c>~/.cache/nasbench/latency</c>.</param>
public sealed class LatencyTableCache(string? root = null)
{
    public string Root { get; } = root ?? DefaultRoot();

    public static string DefaultRoot()
    {
        string? explicitRoot = Environment.GetEnvironmentVariable("NASBENCH_CACHE");
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            return Path.Combine(explicitRoot, "latency");
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "nasbench", "latency");
    }

    /// <summary>The path a table named <paramref name="name"/> (e.g. <c>darts-c8-l5-28x28-b1</c>) has for
    /// <paramref name="fingerprintKey"/>.</summary>
    public string PathFor(string fingerprintKey, string name) => Path.Combine(Root, fingerprintKey, name + ".json");

    /// <summary>Stores a copy of <paramref name="table"/>; returns its path.</summary>
    public string Store(LatencyTable table, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        string path = PathFor(table.Fingerprint.Key, name);
        LatencyTableJson.Write(table, path);
        return path;
    }

    /// <summary>The cached table, or null when there is none for this fingerprint and name.</summary>
    public LatencyTable? TryLoad(string fingerprintKey, string name)
    {
        string path = PathFor(fingerprintKey, name);
        return File.Exists(path) ? LatencyTableJson.Read(path) : null;
    }

    /// <summary>Every cached table file (unreadable ones are listed with their error instead of failing the listing).
    /// </summary>
    public IReadOnlyList<(string Path, LatencyTable? Table, string? Error)> List()
    {
        var result = new List<(string, LatencyTable?, string?)>();
        if (!Directory.Exists(Root))
        {
            return result;
        }
        foreach (string path in Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories).Order())
        {
            try
            {
                result.Add((path, LatencyTableJson.Read(path), null));
            }
            catch (LatencyTableFormatException e)
            {
                result.Add((path, null, e.Message));
            }
        }
        return result;
    }
}

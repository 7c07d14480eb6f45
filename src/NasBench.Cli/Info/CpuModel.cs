namespace NasBench.Cli.Info;

/// <summary>Reads the CPU model name the way <c>lscpu</c> does on Linux.</summary>
internal static class CpuModel
{
    public const string CpuInfoPath = "/proc/cpuinfo";

    /// <summary>The first <c>model name</c> (x86) or <c>Model</c>/<c>Hardware</c> (Arm) line of
    /// <paramref name="cpuInfoPath"/>, or null when the file is missing or has no such line.</summary>
    public static string? Read(string cpuInfoPath = CpuInfoPath)
    {
        try
        {
            return File.Exists(cpuInfoPath) ? Parse(File.ReadLines(cpuInfoPath)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string? Parse(IEnumerable<string> lines)
    {
        string? fallback = null;
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (value.Length == 0)
            {
                continue;
            }
            if (key.Equals("model name", StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
            if (fallback is null && (key == "Model" || key == "Hardware"))
            {
                fallback = value;
            }
        }
        return fallback;
    }
}

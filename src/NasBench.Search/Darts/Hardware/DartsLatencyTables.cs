using System.Globalization;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Search.Darts.Hardware;

/// <summary>Finds the latency table a DARTS search or estimate needs from a <c>--target</c> argument: a table file,
/// or a built-in target whose table is taken from the cache (same fingerprint) or profiled and cached.</summary>
public static class DartsLatencyTables
{
    /// <summary>Cache name of the table for a network shape, e.g. <c>darts-c8-l5-1x28x28-k10-b1</c>.</summary>
    public static string CacheName(DartsNetworkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var c = layout.Config;
        return string.Create(CultureInfo.InvariantCulture,
            $"darts-c{c.InitChannels}-l{c.Layers}-{c.InputChannels}x{c.InputHeight}x{c.InputWidth}-k{c.Classes}"
            + $"-b{layout.Batch}");
    }

    /// <param name="targetOrTable">A table file (.json/.csv), or <c>cpu</c> / <c>cpu-1t</c>.</param>
    /// <param name="onProfiled">Progress while profiling (entry, entries done, entries to do), when it comes to that.
    /// </param>
    /// <exception cref="LatencyTableFormatException">A table file that is malformed or does not cover the layout
    /// (the message names the file and the entry).</exception>
    /// <exception cref="ArgumentException">An unknown target name.</exception>
    public static LatencyTable Resolve(string targetOrTable, DartsNetworkLayout layout, LatencyTableCache? cache = null,
        MeasurementProtocol? protocol = null, Action<LatencyEntry, int, int>? onProfiled = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var target = TargetRegistry.Resolve(targetOrTable);
        var space = layout.SpaceOperations();
        if (target is TableTarget imported)
        {
            imported.Table.EnsureCovers(space);
            return imported.Table;
        }
        cache ??= new LatencyTableCache();
        string name = CacheName(layout);
        var partial = cache.TryLoad(target.Fingerprint.Key, name);
        int todo = space.Count(o => partial is null || !partial.Contains(o)), done = 0;
        if (todo == 0)
        {
            return partial!;
        }
        var table = LatencyProfiler.Profile(target, new DartsOperationModules(), space, "darts",
            protocol ?? MeasurementProtocol.Quick, partial, (entry, _) => onProfiled?.Invoke(entry, ++done, todo),
            cancellationToken);
        cache.Store(table, name);
        return table;
    }
}

using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Supernet;

namespace NasBench.Cli.Commands;

/// <summary>Finds the latency table a search should use: a file, or a target's cached table for the supernet.</summary>
internal static class LatencyTables
{
    /// <exception cref="FileNotFoundException">A target name with no cached table for this supernet shape; the message
    /// gives the command that profiles it.</exception>
    public static LatencyTable Resolve(string fileOrTarget, SupernetConfig supernet, int batch = 1)
    {
        if (File.Exists(fileOrTarget))
        {
            return LatencyTableIo.Read(fileOrTarget);
        }
        var target = TargetRegistry.Resolve(fileOrTarget);
        var layout = DartsNetworkLayout.ForSupernet(supernet, batch);
        string tableName = LatencyShapeOptions.TableName(layout);
        var cache = new LatencyTableCache();
        return cache.TryLoad(target.Fingerprint.Key, tableName)
            ?? throw new FileNotFoundException(
                $"no cached latency table '{tableName}' for target '{target.Name}' in {cache.Root}; profile it with " +
                $"'nasbench latency profile --target {target.Name} --space darts --init-channels " +
                $"{supernet.InitChannels} --layers {supernet.Layers} --input {supernet.InputChannels}x" +
                $"{supernet.InputHeight}x{supernet.InputWidth} --output table.json'.");
    }
}

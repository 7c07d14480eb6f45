using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Cli.Commands;

/// <summary>Helpers the latency verbs share: resolving targets and tables with user-facing errors, JSON pieces.
/// </summary>
internal static class LatencyCli
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>--clock</c> option of the verbs that measure.</summary>
    public static Option<string> ClockOption() => new("--clock")
    {
        Description = "What single-thread samples time: wall (default), or thread-cpu (the measuring thread's CPU " +
                      "time, which excludes preemption on a loaded shared machine; applies to cpu-1t only).",
        DefaultValueFactory = _ => TargetFingerprint.WallClock,
    };

    /// <exception cref="CliException">Unknown clock name.</exception>
    public static MeasurementClock ParseClock(string text) => text switch
    {
        TargetFingerprint.WallClock => MeasurementClock.Wall,
        TargetFingerprint.ThreadCpuClock => MeasurementClock.ThreadCpu,
        _ => throw new CliException($"--clock '{text}': expected wall or thread-cpu."),
    };

    /// <exception cref="CliException">Unknown target name.</exception>
    public static ITarget ResolveTarget(string nameOrTable, MeasurementClock clock = MeasurementClock.Wall)
    {
        try
        {
            return TargetRegistry.Resolve(nameOrTable, clock);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (LatencyTableFormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <exception cref="CliException">Missing or malformed table (the message names the file and entry).</exception>
    public static LatencyTable ReadTable(string path)
    {
        try
        {
            return LatencyTableIo.Read(path);
        }
        catch (LatencyTableFormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    public static string Ms(double value) => value.ToString(value < 0.1 ? "F4" : "F3", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (100 * share).ToString("F1", CultureInfo.InvariantCulture) + " %";

    public static JsonObject Fingerprint(TargetFingerprint f) => new()
    {
        ["target"] = f.Target,
        ["device"] = f.Device,
        ["coresUsed"] = f.CoresUsed,
        ["simdWidthBits"] = f.SimdWidthBits,
        ["runtime"] = f.Runtime,
        ["os"] = f.Os,
        ["gpu"] = f.Gpu,
        ["gpuDriver"] = f.GpuDriver,
        ["clock"] = f.Clock,
        ["fingerprint"] = f.Key,
    };

    public static JsonObject Quality(PredictionQuality q) => new()
    {
        ["count"] = q.Count,
        ["within10"] = q.Within10,
        ["within5"] = q.Within5,
        ["rmspe"] = q.Rmspe,
        ["mape"] = q.Mape,
        ["kendallTau"] = q.KendallTau,
        ["meanBias"] = q.MeanBias,
    };
}

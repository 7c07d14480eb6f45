using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Targets;

/// <summary>The built-in targets and the resolution of a <c>--target</c> argument (a name, or a table file).</summary>
public static class TargetRegistry
{
    /// <summary>Names of the built-in measurable targets.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [CpuTarget.AllCoresName, CpuTarget.SingleThreadName];

    /// <summary>Fresh instances of the built-in targets (their fingerprints read the current machine).</summary>
    public static IReadOnlyList<ITarget> BuiltIn() => [CpuTarget.AllCores(), CpuTarget.SingleThread()];

    /// <summary>A built-in target by name, or an imported one from a <c>.json</c>/<c>.csv</c> latency table.</summary>
    /// <exception cref="ArgumentException">Neither a known name nor an existing table file (the message lists the
    /// names).</exception>
    /// <param name="clock">Clock of <c>cpu-1t</c> (<c>cpu</c> always times the wall clock).</param>
    public static ITarget Resolve(string nameOrTable, MeasurementClock clock = MeasurementClock.Wall)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrTable);
        switch (nameOrTable)
        {
            case CpuTarget.AllCoresName:
                return CpuTarget.AllCores();
            case CpuTarget.SingleThreadName:
                return CpuTarget.SingleThread(clock);
        }
        if (File.Exists(nameOrTable))
        {
            return new TableTarget(LatencyTableIo.Read(nameOrTable));
        }
        throw new ArgumentException(
            $"Unknown target '{nameOrTable}': expected one of {string.Join(", ", BuiltInNames)} or a latency table "
            + "file (.json or .csv) that exists.", nameof(nameOrTable));
    }
}

using NasBench.Hardware.Cost;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Splitting.Growth;

/// <summary>The cost models a growth run can select splits with (issue 5 §4: MACs by default, energy or table
/// latency when a target is given), built from <see cref="GrowthOptions"/>.</summary>
public static class SplitCostModels
{
    public const string Macs = "macs";
    public const string Energy = "energy";
    public const string Latency = "latency";

    /// <summary>Name of the latency table a run keeps in its directory when no table file is given.</summary>
    public const string RunTableName = "latency-table.json";

    public static IReadOnlyList<string> Names { get; } = [Macs, Energy, Latency];

    /// <summary>Measurements per configuration of a run's latency model (the smallest median is kept): a growth run
    /// measures ~150 configurations of 5–50 µs, and on a shared machine single measurements of them were seen to
    /// differ two-fold between neighbouring widths.</summary>
    public const int LatencyRepeats = 3;

    /// <summary>The energy coefficients of a run: its <see cref="GrowthOptions.EnergyCoefficients"/> file, or
    /// <see cref="EnergyCoefficients.Horowitz45nm"/>.</summary>
    /// <exception cref="FormatException">The file is malformed (names the file and the field).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static EnergyCoefficients Coefficients(GrowthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EnergyCoefficients is not { } path)
        {
            return EnergyCoefficients.Horowitz45nm("cpu");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Energy coefficients file '{path}' not found.", path);
        }
        return EnergyCoefficients.Read(path);
    }

    /// <summary>The selection cost model of <paramref name="options"/>.</summary>
    /// <param name="runDirectory">Where a latency run keeps its lazily built table when no table file is given.
    /// </param>
    /// <exception cref="ArgumentException">Unknown cost model, latency without a target, a target or coefficients with
    /// a model that does not use them, an unknown target, or an unknown clock (the message names the option).
    /// </exception>
    /// <exception cref="FormatException">A malformed energy coefficients file.</exception>
    /// <exception cref="LatencyTableFormatException">A malformed table, or one measured on another target.</exception>
    public static ICostModel Create(GrowthOptions options, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var analyzer = GrowableOperationAnalyzer.Instance;
        if (options.Target is not null && options.CostModel != Latency)
        {
            throw new ArgumentException(
                $"--target '{options.Target}' applies to --cost latency only, not --cost {options.CostModel}.");
        }
        if (options.EnergyCoefficients is not null && options.CostModel != Energy)
        {
            throw new ArgumentException(
                $"--energy-coefficients applies to --cost energy only, not --cost {options.CostModel}.");
        }
        switch (options.CostModel)
        {
            case Macs:
                return new MacCostModel(analyzer);
            case Energy:
                return new EnergyCostModel(analyzer, Coefficients(options));
            case Latency:
                if (string.IsNullOrWhiteSpace(options.Target))
                {
                    throw new ArgumentException(
                        $"--cost latency needs --target: one of {string.Join(", ", TargetRegistry.BuiltInNames)} or a "
                        + "latency table file (.json or .csv).");
                }
                var clock = options.Clock switch
                {
                    TargetFingerprint.WallClock => MeasurementClock.Wall,
                    TargetFingerprint.ThreadCpuClock => MeasurementClock.ThreadCpu,
                    _ => throw new ArgumentException($"--clock '{options.Clock}': expected wall or thread-cpu."),
                };
                var target = TargetRegistry.Resolve(options.Target, clock);
                string? table = target.IsAvailable
                    ? options.LatencyTable ?? Path.Combine(runDirectory, RunTableName)
                    : null;
                return new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance, tablePath: table,
                    repeats: LatencyRepeats);
            default:
                throw new ArgumentException(
                    $"--cost '{options.CostModel}': expected one of {string.Join(", ", Names)}.");
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency study</c>: how good are the estimators? Sampled networks measured end to end on each
/// target against the lookup sum and the learned predictors.</summary>
internal static class LatencyStudyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var targetsOption = new Option<string>("--targets")
        {
            Description = "Comma-separated targets to measure on.",
            DefaultValueFactory = _ => "cpu,cpu-1t",
        };
        var count = new Option<int>("--count")
        {
            Description = "Random DARTS genotypes to measure (predictors train on half, are scored on the other half).",
            DefaultValueFactory = _ => 200,
        };
        var output = new Option<string>("--output")
        {
            Description = "Directory for tables, measurements.csv (checkpoint; rerun to resume), networks.csv, " +
                          "study.json, study.md and the trained predictors (predictor-<target>-<clock>.json).",
            DefaultValueFactory = _ => "latency-study",
        };
        var full = new Option<bool>("--full-protocol")
        {
            Description = "Use the default measurement protocol instead of the quick one.",
        };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Predictor training epochs (full-batch Adam).",
            DefaultValueFactory = _ => 400,
        };
        var remeasure = new Option<int>("--remeasure")
        {
            Description = "Measure the first N networks again right after their first measurement and once more at the " +
                          "end: how well a measurement agrees with itself is the ceiling for any estimator.",
            DefaultValueFactory = _ => 0,
        };
        var calibrate = new Option<int>("--calibrate")
        {
            Description = "Networks of the train half the lookup calibration (measured intercept and scale) is fitted " +
                          "on (default: 20, at most half of --count).",
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Profile the tables and measure every network this many times, round after round; tables " +
                          "and networks use the median over the rounds (drops a round caught in a busy spell).",
            DefaultValueFactory = _ => 1,
        };
        var interleave = new Option<int>("--interleave")
        {
            Description = "Measure the networks and the table entries together, interleaved: N sweeps over all of " +
                          "them in a shuffled order, one sample of each per sweep (after two untimed calls), so a " +
                          "slow spell of a shared machine reaches every network and entry alike; the median over " +
                          "the sweeps is the latency, and the odd against the even sweeps is the ceiling. Replaces " +
                          "--rounds, --remeasure and --full-protocol. 0: the older mode, each network and entry " +
                          "measured on its own, one after the other (needed for --rounds and --remeasure).",
            DefaultValueFactory = _ => 60,
        };
        var clock = LatencyCli.ClockOption();
        var shape = new LatencyShapeOptions();
        var command = new Command(
            "study",
            "Measure estimator quality: sample DARTS genotypes, measure each network end to end and every entry of " +
            "the latency table on every target (together, in interleaved sweeps; or with --interleave 0 the table " +
            "first, then the networks one by one), and report for the lookup-table sum " +
            "and for the learned predictors the share within ±10 % of measured latency, RMSPE and Kendall τ, plus " +
            "the op-by-op comparison of the first two targets.")
        {
            targetsOption,
            count,
            output,
            full,
            epochs,
            remeasure,
            calibrate,
            rounds,
            interleave,
            clock,
        };
        shape.AddTo(command);
        CommandActions.Set(command, globals, async (session, parseResult, cancellationToken) =>
        {
            var layout = shape.Bind(parseResult);
            string directory = parseResult.GetRequiredValue(output);
            Directory.CreateDirectory(directory);
            var protocol = parseResult.GetValue(full) ? MeasurementProtocol.Default : MeasurementProtocol.Quick;
            var targets = parseResult.GetRequiredValue(targetsOption).Split(',', StringSplitOptions.RemoveEmptyEntries
                | StringSplitOptions.TrimEntries).Select(name => LatencyCli.ResolveTarget(name, name == CpuTarget.SingleThreadName
                    ? LatencyCli.ParseClock(parseResult.GetRequiredValue(clock))
                    : MeasurementClock.Wall)).ToList();
            int n = parseResult.GetValue(count);
            if (n < 4)
            {
                throw new CliException($"--count {n}: expected at least 4.");
            }
            int again = parseResult.GetValue(remeasure);
            int calibration = parseResult.GetValue(calibrate);
            calibration = calibration != 0 ? calibration : Math.Min(20, n / 2);
            if (again < 0 || again > n)
            {
                throw new CliException($"--remeasure {again}: expected 0 to --count ({n}).");
            }
            if (calibration < 2 || calibration > n / 2)
            {
                throw new CliException($"--calibrate {calibration}: expected 2 to half of --count ({n / 2}).");
            }
            int roundCount = parseResult.GetValue(rounds);
            if (roundCount < 1)
            {
                throw new CliException($"--rounds {roundCount}: expected at least 1.");
            }
            int sweeps = parseResult.GetValue(interleave);
            if (sweeps != 0 && (sweeps < 2 || roundCount > 1 || again > 0))
            {
                throw new CliException($"--interleave {sweeps}: expected 0 (off) or at least 2 sweeps; --rounds "
                    + "and --remeasure need --interleave 0 (the sweeps replace both).");
            }
            foreach (var target in targets.Where(t => !t.IsAvailable))
            {
                throw new CliException($"Target '{target.Name}' cannot be measured here: {target.Availability}.");
            }
            var study = new DartsLatencyStudy(layout.Config, layout.Batch, n, (ulong)session.Seed);
            var options = new LatencyStudyOptions(again, calibration,
                new LatencyPredictorOptions(Epochs: parseResult.GetValue(epochs), Seed: (ulong)session.Seed),
                roundCount, sweeps);
            string checkpoint = Path.Combine(directory, "measurements.csv");
            var roundTables = targets.Select(_ => new List<LatencyTable>()).ToArray();
            void Measured(IStepProgress progress, int i, string name, LatencyStatistics? stats) =>
                progress.Advance(stats is null
                    ? $"#{i} {name} (from checkpoint)"
                    : $"#{i} {name} {LatencyCli.Ms(stats.MedianMs)} ms");
            var withTables = new List<(ITarget, LatencyTable)>();
            if (sweeps > 0)
            {
                var interleaving = targets.Select(target => target as IInterleavingTarget ?? throw new CliException(
                    $"Target '{target.Name}' cannot measure interleaved; leave out --interleave.")).ToArray();
                var tablePaths = targets.Select(target => Path.Combine(directory,
                    $"table-{target.Name}-{target.Fingerprint.Clock}-interleaved.json")).ToArray();
                var existing = tablePaths.Select(p => File.Exists(p) ? LatencyCli.ReadTable(p) : null).ToArray();
                IReadOnlyList<LatencyTable> tables = [];
                // All targets share the sweeps, so their comparison is not one spell of the machine against another.
                string names = string.Join(", ", targets.Select(t => t.Name));
                await ProgressDisplay.RunAsync(session, $"measure {names} interleaved", "sweep", sweeps,
                    progress => Task.Run(() => tables = study.MeasureInterleaved(interleaving,
                        InterleavedProtocol.WithSweeps(sweeps), existing, checkpoint,
                        done => progress.Advance($"sweep {done} of {sweeps}"), cancellationToken),
                        cancellationToken)).ConfigureAwait(false);
                for (int t = 0; t < targets.Count; t++)
                {
                    LatencyTableJson.Write(tables[t], tablePaths[t]);
                    withTables.Add((targets[t], tables[t]));
                }
            }
            // Each round profiles the tables and then measures the networks, so both see the same spells of a
            // shared machine; the study uses the entry-wise and network-wise medians over the rounds.
            for (int round = 1; round <= roundCount && sweeps == 0; round++)
            {
                for (int t = 0; t < targets.Count; t++)
                {
                    roundTables[t].Add(await ProfileAsync(session, targets[t], layout, protocol, TablePath(directory,
                        targets[t], round), cancellationToken).ConfigureAwait(false));
                }
                int r = round;
                int todo = (n + (r == 1 ? again : 0)) * targets.Count;
                await ProgressDisplay.RunAsync(session, roundCount == 1 ? "measure networks" : $"measure networks, round {r}",
                    "network×target", todo, progress => Task.Run(() => study.MeasureRound(targets, r, protocol, checkpoint,
                        (i, name, stats) => Measured(progress, i, name, stats), options, cancellationToken),
                        cancellationToken)).ConfigureAwait(false);
            }
            if (again > 0)
            {
                await ProgressDisplay.RunAsync(session, "re-measure networks", "network×target", again * targets.Count,
                    progress => Task.Run(() => study.MeasureLater(targets, protocol, checkpoint,
                        (i, name, stats) => Measured(progress, i, name, stats), options, cancellationToken),
                        cancellationToken)).ConfigureAwait(false);
            }
            for (int t = 0; t < targets.Count && sweeps == 0; t++)
            {
                var table = roundTables[t].Count == 1 ? roundTables[t][0] : LatencyTableRounds.Median(roundTables[t]);
                if (roundTables[t].Count > 1)
                {
                    LatencyTableJson.Write(table, Path.Combine(directory,
                        $"table-{targets[t].Name}-{targets[t].Fingerprint.Clock}-median.json"));
                }
                withTables.Add((targets[t], table));
            }
            IReadOnlyList<LatencyStudyTargetResult> results = study.Evaluate(withTables, options, cancellationToken);

            var comparison = withTables.Count >= 2
                ? LatencyComparison.Compare(withTables[0].Item2, withTables[1].Item2)
                : null;
            WriteNetworks(Path.Combine(directory, "networks.csv"), study, results);
            foreach (var r in results)
            {
                LatencyPredictorJson.Write(r.Predictor, Path.Combine(directory, PredictorFile(r.Target)));
            }
            string markdown = Markdown(study, layout, results, comparison, protocol == MeasurementProtocol.Quick,
                options);
            await File.WriteAllTextAsync(Path.Combine(directory, "study.md"), markdown, cancellationToken)
                .ConfigureAwait(false);
            var json = Json(study, results, comparison);
            await File.WriteAllTextAsync(Path.Combine(directory, "study.json"), json.ToJsonString(LatencyCli.Indented),
                cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                await session.Out.WriteLineAsync(json.ToJsonString(LatencyCli.Indented)).ConfigureAwait(false);
            }
            else
            {
                await session.Out.WriteLineAsync(markdown).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Round 1 keeps the single-round name, so earlier study directories resume.</summary>
    private static string TablePath(string directory, ITarget target, int round) => Path.Combine(directory,
        round == 1
            ? $"table-{target.Name}-{target.Fingerprint.Clock}.json"
            : $"table-{target.Name}-{target.Fingerprint.Clock}-round{round}.json");

    /// <summary>Profiles (or resumes, or reuses) one round's table of a target, checkpointing after each entry.
    /// </summary>
    private static async Task<LatencyTable> ProfileAsync(CliSession session, ITarget target, DartsNetworkLayout layout,
        MeasurementProtocol protocol, string tablePath, CancellationToken cancellationToken)
    {
        LatencyTable? partial = File.Exists(tablePath) ? LatencyCli.ReadTable(tablePath) : null;
        if (partial is not null && partial.Fingerprint != target.Fingerprint)
        {
            partial = null;
        }
        var operations = layout.SpaceOperations();
        int todo = operations.Count(o => partial is null || !partial.Contains(o));
        LatencyTable table = partial!;
        await ProgressDisplay.RunAsync(session, $"profile {target.Name}", "entry", todo, progress =>
            Task.Run(() =>
            {
                table = LatencyProfiler.Profile(target, new DartsOperationModules(), operations, "darts",
                    protocol, partial, (entry, soFar) =>
                    {
                        LatencyTableJson.Write(soFar, tablePath);
                        progress.Advance($"{entry.Key} {LatencyCli.Ms(entry.MedianMs)} ms");
                    }, cancellationToken);
            }, cancellationToken)).ConfigureAwait(false);
        LatencyTableJson.Write(table, tablePath);
        return table;
    }

    /// <summary>File name of a target's saved residual predictor in the study directory.</summary>
    public static string PredictorFile(TargetFingerprint target) => $"predictor-{target.Target}-{target.Clock}.json";

    private static void WriteNetworks(string path, DartsLatencyStudy study, IReadOnlyList<LatencyStudyTargetResult> results)
    {
        var sb = new StringBuilder("index");
        foreach (var r in results)
        {
            sb.Append(CultureInfo.InvariantCulture, $",measured_ms_{r.Target.Target},lookup_ms_{r.Target.Target}");
        }
        sb.Append(",genotype\n");
        for (int i = 0; i < study.Genotypes.Count; i++)
        {
            sb.Append(i.ToString(CultureInfo.InvariantCulture));
            foreach (var r in results)
            {
                sb.Append(CultureInfo.InvariantCulture, $",{r.MeasuredMs[i]:R},{r.LookupMs[i]:R}");
            }
            sb.Append(",\"").Append(study.Genotypes[i].ToString().Replace("\"", "\"\"", StringComparison.Ordinal))
                .Append("\"\n");
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string Markdown(DartsLatencyStudy study, DartsNetworkLayout layout,
        IReadOnlyList<LatencyStudyTargetResult> results, LatencyComparison? comparison, bool quick,
        LatencyStudyOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"# Latency estimator study\n\n{study.Genotypes.Count} random DARTS genotypes, network {study.Settings}; ")
            .Append(c, $"protocol: {(options.InterleavedSweeps > 0 ? "interleaved" : quick ? "quick" : "default")}")
            .Append(options.InterleavedSweeps > 0
                ? string.Create(c, $", {options.InterleavedSweeps} sweeps over the networks and the table entries together")
                : "")
            .Append(options.Rounds > 1
                ? string.Create(c, $", {options.Rounds} rounds (tables and networks: median over the rounds)")
                : "")
            .Append(". Predictors train on the even-numbered networks ")
            .Append(c, $"and are scored on the {study.Genotypes.Count / 2} odd-numbered ones.\n\n")
            .Append("| target | estimator | models | within ±10 % | within ±5 % | RMSPE | Kendall τ | mean bias |\n")
            .Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var r in results)
        {
            void Row(string name, PredictionQuality q) => sb.Append(c,
                $"| {r.Target.Target} | {name} | {q.Count} | {LatencyCli.Percent(q.Within10)} | {LatencyCli.Percent(q.Within5)} | ")
                .Append(c, $"{LatencyCli.Percent(q.Rmspe)} | {q.KendallTau:F3} | {LatencyCli.Percent(q.MeanBias)} |\n");
            Row("lookup sum (all)", r.Lookup);
            Row("lookup sum (test half)", r.LookupOnTest);
            Row($"lookup sum calibrated on {r.Calibration.Networks} (test half)", r.CalibratedOnTest);
            Row($"lookup sum calibrated on all {r.FullCalibration.Networks} training networks (test half)",
                r.FullCalibratedOnTest);
            Row("MLP on counts (test half)", r.PredictorEncoding);
            Row("MLP on counts + lookup by op, lookup baseline (test half)", r.PredictorResidual);
            if (r.RepeatBackToBack is not null)
            {
                Row("re-measurement, back to back (ceiling)", r.RepeatBackToBack);
            }
            if (r.RepeatLater is not null)
            {
                Row("re-measurement, after the other networks (ceiling)", r.RepeatLater);
            }
            if (r.SplitHalf is not null)
            {
                Row("re-measurement, odd sweeps against even sweeps (ceiling)", r.SplitHalf);
            }
        }
        sb.Append("\n| target | calibration: intercept | scale | on all training networks | predictor: epochs (kept) | ")
            .Append("train / validation models |\n|---|---|---|---|---|---|\n");
        foreach (var r in results)
        {
            var t = r.Predictor.Training;
            sb.Append(c, $"| {r.Target.Target} | {r.Calibration.InterceptMs:F4} ms | {r.Calibration.Scale:F3} | ")
                .Append(c, $"{r.FullCalibration.InterceptMs:F4} ms + {r.FullCalibration.Scale:F3} · lookup | ")
                .Append(c, $"{t.Epochs} ({t.BestEpoch}) | {t.FitModels} / {t.ValidationModels} |\n");
        }
        sb.Append("\n| target | fingerprint | measured median range (ms) | median IQR/median |\n|---|---|---|---|\n");
        foreach (var r in results)
        {
            sb.Append(c, $"| {r.Target.Target} | {r.Target.Describe()} | {r.MeasuredMs.Min():F3} – {r.MeasuredMs.Max():F3} | ")
                .Append(c, $"{LatencyCli.Percent(r.MedianRelativeIqr)} |\n");
        }
        if (results.Count >= 2)
        {
            double geo = Math.Exp(Enumerable.Range(0, study.Genotypes.Count)
                .Average(i => Math.Log(results[1].MeasuredMs[i] / results[0].MeasuredMs[i])));
            sb.Append(c, $"\nEnd to end, {results[1].Target.Target} / {results[0].Target.Target}: geometric mean ")
                .Append(c, $"{geo:F3} over the {study.Genotypes.Count} networks.\n");
        }
        if (comparison is not null)
        {
            sb.Append(c, $"\n## Op by op: {comparison.B.Fingerprint.Target} / {comparison.A.Fingerprint.Target}\n\n")
                .Append(c, $"{comparison.Rows.Count} shared entries, geometric mean ratio {comparison.GeometricMeanRatio:F3}.\n\n")
                .Append("| operation | configs | geomean B/A |\n|---|---|---|\n");
            foreach (var (op, count, ratio) in comparison.ByOperation())
            {
                sb.Append(c, $"| {op} | {count} | {ratio:F3} |\n");
            }
            sb.Append("\n| most different configuration | A ms | B ms | B/A |\n|---|---|---|---|\n");
            foreach (var r in comparison.MostDifferent(10))
            {
                sb.Append(c, $"| {r.Operation.Key} | {r.MedianMsA:F4} | {r.MedianMsB:F4} | {r.Ratio:F3} |\n");
            }
        }
        sb.Append(c, $"\nTable entries per target: {layout.SpaceOperations().Count}.\n");
        return sb.ToString();
    }

    private static JsonObject Json(DartsLatencyStudy study, IReadOnlyList<LatencyStudyTargetResult> results,
        LatencyComparison? comparison) => new()
    {
        ["settings"] = study.Settings,
        ["networks"] = study.Genotypes.Count,
        ["targets"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
        {
            ["fingerprint"] = LatencyCli.Fingerprint(r.Target),
            ["lookup"] = LatencyCli.Quality(r.Lookup),
            ["lookupTest"] = LatencyCli.Quality(r.LookupOnTest),
            ["predictorEncoding"] = LatencyCli.Quality(r.PredictorEncoding),
            ["calibration"] = new JsonObject
            {
                ["interceptMs"] = r.Calibration.InterceptMs,
                ["scale"] = r.Calibration.Scale,
                ["networks"] = r.Calibration.Networks,
            },
            ["calibratedTest"] = LatencyCli.Quality(r.CalibratedOnTest),
            ["fullCalibration"] = new JsonObject
            {
                ["interceptMs"] = r.FullCalibration.InterceptMs,
                ["scale"] = r.FullCalibration.Scale,
                ["networks"] = r.FullCalibration.Networks,
            },
            ["fullCalibratedTest"] = LatencyCli.Quality(r.FullCalibratedOnTest),
            ["predictorResidual"] = LatencyCli.Quality(r.PredictorResidual),
            ["predictorFile"] = PredictorFile(r.Target),
            ["repeatBackToBack"] = r.RepeatBackToBack is null ? null : LatencyCli.Quality(r.RepeatBackToBack),
            ["repeatLater"] = r.RepeatLater is null ? null : LatencyCli.Quality(r.RepeatLater),
            ["splitHalf"] = r.SplitHalf is null ? null : LatencyCli.Quality(r.SplitHalf),
            ["medianRelativeIqr"] = r.MedianRelativeIqr,
            ["measuredMinMs"] = r.MeasuredMs.Min(),
            ["measuredMaxMs"] = r.MeasuredMs.Max(),
        })]),
        ["comparison"] = comparison is null ? null : new JsonObject
        {
            ["a"] = comparison.A.Fingerprint.Target,
            ["b"] = comparison.B.Fingerprint.Target,
            ["geometricMeanRatio"] = comparison.GeometricMeanRatio,
        },
    };
}

using System.CommandLine;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency predict</c>: the lookup-table latency of a genotype's network, optionally measured
/// end to end beside it.</summary>
internal static class LatencyPredictCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var tableOption = new Option<string>("--table")
        {
            Description = "Latency table (.json or .csv) profiled for the same network shape and batch.",
            Required = true,
        };
        var genotypeOption = new Option<string?>("--genotype")
        {
            Description = "Published genotype name (DARTS_V1, DARTS_V2, DARTS) or a genotype file (JSON or text form).",
        };
        var modelOption = new Option<string?>("--model")
        {
            Description = "A trained model's directory (its genotype.json) or genotype file.",
        };
        var measure = new Option<bool>("--measure")
        {
            Description = "Also measure the network end to end on the table's target (cpu or cpu-1t on this machine).",
        };
        var predictorOption = new Option<string?>("--predictor")
        {
            Description = "A trained latency predictor (predictor-<target>-<clock>.json written by `latency study`) " +
                          "for the table's target: its estimate is printed beside the lookup sum.",
        };
        var shape = new LatencyShapeOptions();
        var command = new Command(
            "predict",
            "Estimate a DARTS network's latency on a target from its latency table (sum of its operations' entries), " +
            "with the per-operation breakdown; --measure also times it end to end.")
        {
            tableOption,
            genotypeOption,
            modelOption,
            predictorOption,
            measure,
        };
        shape.AddTo(command);
        CommandActions.Set(command, globals, async (session, parseResult, cancellationToken) =>
        {
            var table = LatencyCli.ReadTable(parseResult.GetRequiredValue(tableOption));
            var genotype = ResolveGenotype(parseResult.GetValue(genotypeOption), parseResult.GetValue(modelOption));
            var layout = shape.Bind(parseResult);
            var operations = layout.GenotypeOperations(genotype);
            try
            {
                table.EnsureCovers(operations);
            }
            catch (LatencyTableFormatException e)
            {
                throw new CliException(e.Message, e);
            }
            var estimator = new LookupTableEstimator(table);
            double estimate = estimator.EstimateMs(operations);
            string? predictorPath = parseResult.GetValue(predictorOption);
            double? predicted = predictorPath is null
                ? null
                : Predict(LoadPredictor(predictorPath, table), genotype, table, layout, estimate, predictorPath);
            LatencyStatistics? measured = null;
            if (parseResult.GetValue(measure))
            {
                var target = LatencyCli.ResolveTarget(table.Fingerprint.Target,
                    table.Fingerprint.Clock == TargetFingerprint.ThreadCpuClock
                        ? MeasurementClock.ThreadCpu
                        : MeasurementClock.Wall);
                try
                {
                    table.EnsureFingerprint(target.Fingerprint);
                }
                catch (LatencyTableFormatException e)
                {
                    throw new CliException(e.Message + " --measure needs a table of this machine.", e);
                }
                var network = new DartsNetwork(genotype, layout.Config, new Generator((ulong)session.Seed));
                measured = await Task.Run(() => target.Measure(network,
                    [layout.Batch, layout.Config.InputChannels, layout.Config.InputHeight, layout.Config.InputWidth],
                    cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            var breakdown = estimator.Breakdown(operations);
            if (session.Json)
            {
                var json = new JsonObject
                {
                    ["genotype"] = genotype.ToString(),
                    ["target"] = LatencyCli.Fingerprint(table.Fingerprint),
                    ["lookupMs"] = estimate,
                    ["predictorMs"] = predicted,
                    ["breakdown"] = new JsonArray([.. breakdown.Select(b => (JsonNode)new JsonObject
                    {
                        ["op"] = b.Operation, ["count"] = b.Count, ["ms"] = b.Ms,
                    })]),
                };
                if (measured is not null)
                {
                    json["measuredMs"] = measured.MedianMs;
                    json["measuredIqrMs"] = measured.IqrMs;
                    json["relativeError"] = (estimate - measured.MedianMs) / measured.MedianMs;
                    if (predicted is not null)
                    {
                        json["predictorRelativeError"] = (predicted.Value - measured.MedianMs) / measured.MedianMs;
                    }
                }
                await session.Out.WriteLineAsync(json.ToJsonString(LatencyCli.Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            var result = new Table().Title("Latency estimate").AddColumn("Operation").AddColumn("Count")
                .AddColumn("ms").AddColumn("Share");
            foreach (var (op, count, ms) in breakdown)
            {
                result.AddRow(ConsoleText.Plain(op), ConsoleText.Plain(count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ConsoleText.Plain(LatencyCli.Ms(ms)), ConsoleText.Plain(LatencyCli.Percent(ms / estimate)));
            }
            result.AddRow(ConsoleText.Plain("lookup sum"), ConsoleText.Plain(operations.Count.ToString(
                System.Globalization.CultureInfo.InvariantCulture)), ConsoleText.Plain(LatencyCli.Ms(estimate)),
                ConsoleText.Plain("100 %"));
            if (predicted is not null)
            {
                result.AddRow(ConsoleText.Plain("learned predictor"), ConsoleText.Plain(""),
                    ConsoleText.Plain(LatencyCli.Ms(predicted.Value)),
                    ConsoleText.Plain(measured is null ? "" : $"predictor error {LatencyCli.Percent(
                        (predicted.Value - measured.MedianMs) / measured.MedianMs)}"));
            }
            if (measured is not null)
            {
                result.AddRow(ConsoleText.Plain("measured (median)"), ConsoleText.Plain(""),
                    ConsoleText.Plain($"{LatencyCli.Ms(measured.MedianMs)} ± IQR {LatencyCli.Ms(measured.IqrMs)}"),
                    ConsoleText.Plain($"lookup error {LatencyCli.Percent((estimate - measured.MedianMs) / measured.MedianMs)}"));
            }
            session.Results.Write(result);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <exception cref="CliException">Unreadable predictor, or one trained for another target than the table's.
    /// </exception>
    private static LatencyPredictor LoadPredictor(string path, LatencyTable table)
    {
        LatencyPredictor predictor;
        try
        {
            predictor = LatencyPredictorJson.Read(path);
        }
        catch (LatencyPredictorFormatException e)
        {
            throw new CliException(e.Message, e);
        }
        if (predictor.Metadata.TryGetValue("fingerprint", out string? key) && key != table.Fingerprint.Key)
        {
            throw new CliException($"{path}: predictor trained for target '{predictor.Metadata.GetValueOrDefault(
                "target")}' (fingerprint {key}); the table is of '{table.Fingerprint.Target}' (fingerprint "
                + $"{table.Fingerprint.Key}). Use the table the predictor was trained with.");
        }
        return predictor;
    }

    private static double Predict(LatencyPredictor predictor, Genotype genotype, LatencyTable table,
        DartsNetworkLayout layout, double lookupMs, string path)
    {
        string features = predictor.Metadata.GetValueOrDefault("features", DartsLatencyFeatures.Counts);
        float[] x;
        try
        {
            x = DartsLatencyFeatures.Build(features, genotype, new DartsLatencyModel(table, layout));
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{path}: metadata.features: {e.Message}", e);
        }
        if (x.Length != predictor.Features)
        {
            throw new CliException($"{path}: the predictor reads {predictor.Features} features; feature set "
                + $"'{features}' has {x.Length}.");
        }
        return predictor.Predict([x], predictor.UsesBaseline ? [lookupMs] : null)[0];
    }

    private static Genotype ResolveGenotype(string? genotype, string? model)
    {
        if ((genotype is null) == (model is null))
        {
            throw new CliException("Give exactly one of --genotype or --model.");
        }
        string source = genotype ?? (Directory.Exists(model) ? Path.Combine(model!, "genotype.json") : model!);
        try
        {
            return PublishedGenotypes.Resolve(source);
        }
        catch (GenotypeFormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }
}

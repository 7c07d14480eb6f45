using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasBench.Cli.Console;
using NasBench.Data;
using NasBench.Hardware.Latency;
using NasBench.Search.Splitting.Growth;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench split</c>: grow a narrow network by neuron splitting under a MAC budget (issue 5), selecting
/// splits by MACs, modelled energy or measured latency (<c>--cost</c>), with a progress bar, a checkpoint per round,
/// <c>--resume</c> and <c>report.md</c> + <c>growth.svg</c>.</summary>
internal static class SplitCommand
{
    private static readonly JsonSerializerOptions CamelCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a diverged round's NaN loss
    };

    public static Command Create(GlobalOptions globals)
    {
        var net = new Option<string>("--net")
        {
            Description = "Network family: mobilenet (depthwise-separable) or vgg.",
            DefaultValueFactory = _ => "mobilenet",
        };
        net.AcceptOnlyFromAmong("mobilenet", "vgg");
        var mode = new Option<string>("--mode")
        {
            Description = "fast (Rayleigh-quotient λ_min, energy-aware), exact (S2D eigen-decomposition), signed " +
                          "(λ_min and λ_max, signed splits), or uniform (baseline: uniform width at each round's MACs).",
            DefaultValueFactory = _ => "fast",
        };
        mode.AcceptOnlyFromAmong("fast", "exact", "signed", "uniform");
        var budget = new Option<double>("--budget-macs")
        {
            Description = "MACs per image to grow to by the last round (e.g. 2e6).",
            DefaultValueFactory = _ => 2e6,
        };
        var rounds = new Option<int>("--rounds") { Description = "Split rounds K.", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Training epochs per round (the seed round too).",
            DefaultValueFactory = _ => 1,
        };
        var dataset = new Option<string>("--dataset")
        {
            Description = "fashion-mnist, mnist, cifar10 or cifar100 (embedded Fashion-MNIST sample when the full " +
                          "set is absent).",
            DefaultValueFactory = _ => "fashion-mnist",
        };
        var data = new Option<string?>("--data") { Description = "Directory holding the dataset files." };
        var sample = new Option<bool>("--sample")
        {
            Description = "Use the embedded Fashion-MNIST sample (2000 train, 500 test) even when the full set exists.",
        };
        var output = new Option<string?>("--output")
        {
            Description = "Run directory (default runs/split-<net>-<mode>).",
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --output after its last round." };
        var compare = new Option<string[]>("--compare")
        {
            Description = "Other run directories (e.g. the uniform and exact baselines) drawn in the report.",
            AllowMultipleArgumentsPerToken = true,
        };
        var subset = new Option<int>("--train-subset")
        {
            Description = "Train on the first N training images only (0 = all).",
            DefaultValueFactory = _ => 0,
        };
        var splitBatches = new Option<int>("--split-batches")
        {
            Description = "Training mini-batches the splitting estimators see per round (0 = one full pass over the " +
                          "training set, e.g. for exact S2D).",
            DefaultValueFactory = _ => 8,
        };
        var fastIterations = new Option<int>("--fast-iterations")
        {
            Description = "Rayleigh-quotient steps of the fast estimator per round (one back-prop each).",
            DefaultValueFactory = _ => 100,
        };
        var seedWidth = new Option<double>("--seed-width")
        {
            Description = "Width multiplier of the narrow seed network.",
            DefaultValueFactory = _ => 0.25,
        };
        var cost = new Option<string>("--cost")
        {
            Description = "Cost of splitting a neuron in the energy-aware selection: macs (default), energy (MACs " +
                          "and bytes moved, Horowitz 45 nm coefficients or --energy-coefficients) or latency (each " +
                          "operation configuration measured on --target the first time it is needed, cached). The " +
                          "round budget is the network's cost times the MAC schedule's growth ratio; the MAC budget " +
                          "still decides when growth stops.",
            DefaultValueFactory = _ => SplitCostModels.Macs,
        };
        cost.AcceptOnlyFromAmong([.. SplitCostModels.Names]);
        var target = new Option<string?>("--target")
        {
            Description = "With --cost latency: cpu (all cores), cpu-1t (one thread) or a latency table file " +
                          "(.json/.csv) measured elsewhere (looked up only; every configuration must be in it).",
        };
        var coefficients = new Option<string?>("--energy-coefficients")
        {
            Description = "With --cost energy: JSON {\"target\", \"picojoulesPerMac\", \"picojoulesPerByte\", " +
                          "\"source\"} (default: Horowitz ISSCC 2014, 45 nm).",
        };
        var latencyTable = new Option<string?>("--latency-table")
        {
            Description = "With --cost latency on cpu/cpu-1t: table JSON to start from and keep up to date (default " +
                          "latency-table.json in --output); its fingerprint must match the target.",
        };
        var clock = LatencyCli.ClockOption();
        var noMacCap = new Option<bool>("--no-mac-cap")
        {
            Description = "With --cost energy|latency: let the cost budget alone limit each round (by default a " +
                          "round also adds no more MACs than the MAC schedule allows, so runs of different costs stay " +
                          "comparable at equal MACs).",
        };
        var retrain = new Option<int>("--retrain-epochs")
        {
            Description = "After the last round, train the final architecture again from a fresh initialisation for " +
                          "N epochs (one cosine schedule) and report it beside the baselines (retrain.json; 0 = " +
                          "don't). Set N = epochs × (rounds + 1) to match the uniform baseline's last round, which " +
                          "compares the architectures at equal training.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("split",
            "Grow a small network by splitting neurons (S2D / fast energy-aware splitting / signed splitting): train, " +
            "estimate each neuron's splitting index, choose splits under the round's MAC budget, split, retrain. " +
            "Writes config.json, history.json, round-RR/ checkpoints, report.md and growth.svg to --output.")
        {
            net, mode, budget, rounds, epochs, dataset, data, sample, output, resume, compare, subset, splitBatches, fastIterations,
            seedWidth, cost, target, coefficients, latencyTable, clock, noMacCap, retrain,
        };
        CommandActions.Set(command, globals, async (session, parse, cancellation) =>
        {
            var growthMode = Enum.Parse<GrowthMode>(parse.GetValue(mode)!, ignoreCase: true);
            string costName = parse.GetValue(cost)!;
            if (parse.GetValue(latencyTable) is not null && costName != SplitCostModels.Latency)
            {
                throw new CliException($"--latency-table applies to --cost latency only, not --cost {costName}.");
            }
            _ = LatencyCli.ParseClock(parse.GetValue(clock)!);
            string name = parse.GetValue(net)!;
            string dir = parse.GetValue(output) ?? Path.Combine("runs", $"split-{name}-{parse.GetValue(mode)}");
            DatasetPair pair;
            try
            {
                pair = parse.GetValue(sample)
                    ? EmbeddedSample.Load()
                    : DatasetLoader.Load(parse.GetValue(dataset)!, parse.GetValue(data));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
            {
                throw new CliException(e.Message, e);
            }
            var options = new GrowthOptions(name, growthMode, parse.GetValue(budget), parse.GetValue(rounds),
                parse.GetValue(epochs), session.Seed,
                parse.GetValue(sample) ? "fashion-mnist-sample" : parse.GetValue(dataset)!, parse.GetValue(seedWidth),
                SplitBatches: parse.GetValue(splitBatches),
                FastIterations: parse.GetValue(fastIterations), TrainSubset: parse.GetValue(subset),
                CostModel: costName, Target: parse.GetValue(target),
                EnergyCoefficients: parse.GetValue(coefficients), LatencyTable: parse.GetValue(latencyTable),
                Clock: parse.GetValue(clock)!, MacCap: !parse.GetValue(noMacCap),
                RetrainEpochs: parse.GetValue(retrain));
            if (options.RetrainEpochs < 0)
            {
                throw new CliException($"--retrain-epochs must be ≥ 0, got {options.RetrainEpochs}.");
            }
            GrowthRun run;
            try
            {
                run = new GrowthRun(options, pair, dir);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException
                or LatencyTableFormatException or System.Text.Json.JsonException)
            {
                throw new CliException(e.Message, e);
            }
            if (parse.GetValue(resume))
            {
                try
                {
                    run.LoadCheckpoint();
                }
                catch (InvalidDataException e)
                {
                    throw new CliException(e.Message, e);
                }
            }
            else if (File.Exists(Path.Combine(dir, "history.json")))
            {
                throw new CliException($"{dir} already holds a run; pass --resume to continue it or another --output.");
            }
            string costText = $"{run.CostModel.Name} ({run.CostModel.Unit})";
            await session.Error.WriteLineAsync($"nasbench split: {pair.Describe()}; cost {costText}; output {dir}")
                .ConfigureAwait(false);
            int skip = run.CompletedSteps;
            try
            {
                await ProgressDisplay.RunAsync(session, $"split {name} {parse.GetValue(mode)}", "step",
                    run.TotalSteps - skip, progress => Task.Run(() => run.Run(d => progress.Advance(d), cancellation),
                        cancellation)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
            {
                throw new CliException(e.Message, e);
            }
            var others = new List<(string, IReadOnlyList<GrowthRound>)>();
            var fromScratch = new List<(string, RetrainResult)>();
            if (run.Retrained is { } own)
            {
                fromScratch.Add(($"{name} {parse.GetValue(mode)} (retrained)", own));
            }
            foreach (string other in parse.GetValue(compare) ?? [])
            {
                string label = Path.GetFileName(Path.TrimEndingDirectorySeparator(other));
                var history = ReadHistory(other);
                others.Add((label, history));
                if (FromScratch(other, label, history) is { } result)
                {
                    fromScratch.Add(result);
                }
            }
            GrowthReport.Write(dir, options, pair.Describe(), run.History, others, run.CostModel.Name, fromScratch);
            if (session.Json)
            {
                await session.Out.WriteLineAsync(JsonSerializer.Serialize(run.History, CamelCase)).ConfigureAwait(false);
            }
            else
            {
                foreach (var r in run.History)
                {
                    await session.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"round {r.Round}: {r.Macs:N0} MACs, {r.EnergyMicrojoules:G4} µJ, cost {r.Cost:G4} " +
                        $"{r.CostUnit}, {r.Parameters:N0} params, +{r.Neurons} neurons, " +
                        $"test accuracy {r.TestAccuracy * 100:F2}%")).ConfigureAwait(false);
                }
                if (run.Retrained is { } again)
                {
                    await session.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"retrained from scratch, {again.Epochs} epochs: {again.Macs:N0} MACs, " +
                        $"{again.Parameters:N0} params, test accuracy {again.TestAccuracy * 100:F2}%"))
                        .ConfigureAwait(false);
                }
                await session.Out.WriteLineAsync($"report: {Path.Combine(dir, "report.md")}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A compared run's from-scratch result: its <c>retrain.json</c>, or for a uniform baseline its last
    /// round (trained from scratch for epochs × (round + 1)); null when it has neither.</summary>
    private static (string, RetrainResult)? FromScratch(string dir, string label, List<GrowthRound> history)
    {
        try
        {
            string retrainPath = Path.Combine(dir, "retrain.json");
            if (File.Exists(retrainPath))
            {
                var result = JsonSerializer.Deserialize<RetrainResult>(File.ReadAllText(retrainPath))
                    ?? throw new JsonException("expected an object, got null");
                return ($"{label} (retrained)", result);
            }
            string configPath = Path.Combine(dir, "config.json");
            if (history.Count == 0 || !File.Exists(configPath))
            {
                return null;
            }
            var config = JsonSerializer.Deserialize<GrowthOptions>(File.ReadAllText(configPath));
            if (config is not { Mode: GrowthMode.Uniform })
            {
                return null;
            }
            var last = history[^1];
            return ($"{label} (last round)", new RetrainResult(config.Epochs * (last.Round + 1), last.Macs,
                last.Parameters, last.TestAccuracy, last.TrainLoss, last.TrainSeconds, last.Widths));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new CliException($"--compare {dir}: cannot read its retrain.json or config.json ({e.Message}).", e);
        }
    }

    private static List<GrowthRound> ReadHistory(string dir)
    {
        string path = Path.Combine(dir, "history.json");
        try
        {
            return JsonSerializer.Deserialize<List<GrowthRound>>(File.ReadAllText(path)) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new CliException($"--compare {dir}: cannot read {path} ({e.Message}).", e);
        }
    }
}

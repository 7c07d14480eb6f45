using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Cost;
using NasBench.Hardware.Latency;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Search;
using NasBench.Search.Darts.Supernet;
using NasBench.Search.Experiments;
using NasBench.Search.Training;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench search --stage block</c>: EG-DARTS, DARTS (first/second order) or random search of a cell,
/// with a run directory, per-epoch history and checkpoints, resume and Ctrl-C.</summary>
internal static class SearchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var stage = new Option<string>("--stage")
        {
            Description = "Search stage. 'block': cell (block) search in the DARTS space. (The network-level " +
                          "evolutionary stage is not built yet.)",
            DefaultValueFactory = _ => "block",
        };
        stage.AcceptOnlyFromAmong("block");
        var algorithm = new Option<string>("--algorithm")
        {
            Description = "eg-darts: DARTS first order with the α-gradient enhanced by λ·∇(expected cost); darts: " +
                          "first order; darts2: second order (unrolled, finite-difference Hessian); random: " +
                          "random search under the same budget.",
            DefaultValueFactory = _ => "eg-darts",
        };
        algorithm.AcceptOnlyFromAmong([.. BlockSearchSettings.Algorithms]);
        var dataset = DataOptions.Dataset();
        var data = DataOptions.DataDirectory();
        var sample = DataOptions.Sample();
        var epochs = new Option<int>("--epochs") { Description = "Search epochs.", DefaultValueFactory = _ => 10 };
        var channels = new Option<int>("--init-channels")
        {
            Description = "C of the supernet's first cells (doubled at each reduction). Even.",
            DefaultValueFactory = _ => 16,
        };
        var layers = new Option<int>("--layers")
        {
            Description = "Cells in the supernet; reduction cells at L/3 and 2L/3.",
            DefaultValueFactory = _ => 5,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Mini-batch size of both the weight and the architecture steps.",
            DefaultValueFactory = _ => 64,
        };
        var cost = new Option<string>("--cost")
        {
            Description = "EG-DARTS cost: params (parameters), flops (multiply-accumulates) or latency (needs " +
                          "--target).",
            DefaultValueFactory = _ => "params",
        };
        cost.AcceptOnlyFromAmong("params", "flops", "latency");
        var target = new Option<string?>("--target")
        {
            Description = "Latency table for --cost latency: a table file written by 'nasbench latency profile', " +
                          "or a target name (cpu, cpu-1t): its cached table for this supernet, profiled first if missing.",
        };
        var lambda = new Option<double>("--lambda")
        {
            Description = "EG-DARTS: weight λ of the normalised expected cost (0 reproduces DARTS first order).",
            DefaultValueFactory = _ => 1.0,
        };
        var warmup = new Option<int>("--lambda-warmup")
        {
            Description = "EG-DARTS: epochs over which λ ramps up from 0 (default: a quarter of the epochs).",
            DefaultValueFactory = _ => -1,
        };
        var archWarmup = new Option<int>("--arch-warmup")
        {
            Description = "Epochs of weight-only training before the first α step (default 0, as DARTS). Untrained " +
                          "weights favour skip and pools, so early α steps collapse a short search onto them; " +
                          "PC-DARTS/P-DARTS warm up first. Random search counts these epochs at one pass per step " +
                          "when matching the budget (give it the same value).",
            DefaultValueFactory = _ => 0,
        };
        var lossForm = new Option<string?>("--loss-form")
        {
            Description = "EG-DARTS: use a hardware loss of (CE, LAT) instead of the normalised additive term: " +
                          "additive[:λ] (LA-DARTS), fbnet[:α:β] (CE·α·(log LAT)^β), mul#log[:a:b] or add#linear[:λ] " +
                          "(ProxylessNAS; T = LAT of the initial α). LAT is in the cost's unit (log forms need LAT > 1).",
        };
        var samples = new Option<int>("--samples")
        {
            Description = "Random search: architectures sampled and trained within the budget of the same " +
                          "number of first-order DARTS epochs.",
            DefaultValueFactory = _ => 8,
        };
        var output = DataOptions.Output();
        var name = new Option<string?>("--name")
        {
            Description = "Run name (default: search-<algorithm>-<cost>-c<C>-l<L>-e<epochs>-s<seed>). The run " +
                          "directory holds config.json, genotype.json, history.csv, log.txt, checkpoints/, " +
                          "result.json, report.md and search.svg.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run of that name from its last checkpoint (every epoch and on Ctrl-C).",
        };
        var trainLimit = new Option<int>("--train-limit")
        {
            Description = "Search on the first N training images only (0: all); for smoke runs.",
        };
        var keepActivations = new Option<bool>("--keep-activations")
        {
            Description = "Keep every candidate operation's activations for backward instead of recomputing each " +
                "mixed edge from its input (the default). About 40 % faster steps for about 6× the memory " +
                "(C=16, 5 cells, batch 64: ~4 GiB instead of ~0.6 GiB peak RSS).",
        };
        var keptCells = new Option<int>("--kept-cells")
        {
            Description = "Selective recomputation: the last K cells keep their activations while the others are " +
                "recomputed. The last cells have the smallest maps, so this buys back most of --keep-activations' " +
                "speed for a fraction of its memory (C=16, 5 cells, batch 64, 2 threads: K=2 makes the supernet step " +
                "5–28 % faster at ~0.9 GiB against ~0.5 GiB, and a whole search epoch ~4 % faster at ~1.0 GiB " +
                "peak RSS against ~0.6 GiB). Default 0: every cell recomputed, least memory.",
        };
        var command = new Command(
            "search",
            "Search a cell (block) that is accurate and cheap. EG-DARTS adds λ·∇Ĉ(α) to DARTS's architecture " +
            "gradient, where Ĉ is the expected cost of the cell under softmax(α); DARTS and random search are " +
            "the baselines. The dataset's training set is split in halves: one trains the weights, the other the " +
            "architecture. Prints the genotype found; Ctrl-C writes a checkpoint and exits 130; --resume continues.")
        {
            stage, algorithm, dataset, data, sample, epochs, channels, layers, batchSize, cost, target, lambda,
            warmup, archWarmup, lossForm, samples, output, name, resume, trainLimit, keepActivations, keptCells,
        };
        CommandActions.Set(command, globals, (session, parse, cancellationToken) =>
        {
            var request = new SearchRequest(parse.GetValue(algorithm)!, parse.GetValue(dataset)!,
                parse.GetValue(data), parse.GetValue(sample), parse.GetValue(epochs), parse.GetValue(channels),
                parse.GetValue(layers), parse.GetValue(batchSize), parse.GetValue(cost)!, parse.GetValue(target),
                parse.GetValue(lambda), parse.GetValue(warmup), parse.GetValue(lossForm), parse.GetValue(samples),
                parse.GetValue(output)!, parse.GetValue(name), parse.GetValue(resume), parse.GetValue(trainLimit),
                parse.GetValue(keepActivations), parse.GetValue(archWarmup), parse.GetValue(keptCells));
            return Task.FromResult(Execute(session, request, cancellationToken));
        });
        return command;
    }

    private static int Execute(CliSession session, SearchRequest request, CancellationToken cancellationToken)
    {
        var pair = DataOptions.Load(request.Dataset, request.Data, request.Sample, request.TrainLimit, 0);
        var shape = pair.Train.Shape;
        var supernet = new SupernetConfig(request.InitChannels, request.Layers, pair.Info.ClassCount, shape.Channels,
            shape.Height, shape.Width)
        {
            RecomputeEdges = !request.KeepActivations,
            KeptCells = request.KeepActivations ? 0 : request.KeptCells,
        };
        var settings = new BlockSearchSettings(request.Algorithm, supernet, request.Epochs, request.BatchSize,
            session.Seed, Lambda: request.Lambda, LambdaWarmup: request.LambdaWarmup,
            RandomSamples: request.Samples, LossForm: request.LossForm, ArchWarmup: request.ArchWarmup);
        try
        {
            settings.Validate();
            if (request.LossForm is not null)
            {
                _ = HardwareLossForm.Parse(request.LossForm);
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new CliException(e.Message, e);
        }
        var costModel = CostModel(request, supernet);
        string runName = request.Name ?? string.Create(CultureInfo.InvariantCulture,
            $"search-{request.Algorithm}-{request.Cost}-c{request.InitChannels}-l{request.Layers}-e{request.Epochs}-s{session.Seed}");
        RunDirectory run;
        try
        {
            run = RunDirectory.Open(request.Output, runName, "search", Settings(request, settings, pair.Describe(),
                costModel), request.Resume);
        }
        catch (Exception e) when (e is RunDirectoryException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(e.Message, e);
        }
        if (run.IsFinished && File.Exists(run.ResultPath))
        {
            session.Error.WriteLine($"nasbench: run {run.Path} has already finished; its result:");
            session.Out.WriteLine(File.ReadAllText(run.ResultPath).TrimEnd());
            return ExitCodes.Success;
        }
        run.Log($"{pair.Describe()}; {request.Algorithm} C={request.InitChannels} L={request.Layers} " +
                $"epochs={request.Epochs} batch={request.BatchSize} cost={costModel.Name} λ={request.Lambda}; " +
                $"threads {session.Threads}; " +
                (!supernet.RecomputeEdges ? "all activations kept"
                    : supernet.KeptCells > 0 ? $"edges recomputed in backward except in the last {supernet.KeptCells} cells"
                    : "edges recomputed in backward"));

        BlockSearchResult result;
        string description = $"{request.Algorithm} C={request.InitChannels} L={request.Layers}";
        try
        {
            result = request.Algorithm == "random"
                ? RunRandom(session, run, settings, pair, description, cancellationToken)
                : RunDifferentiable(session, run, settings, pair, costModel, description, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Log("cancelled; checkpoint written");
            session.Error.WriteLine(
                $"nasbench: progress saved in {run.Path}; continue with the same command and --resume.");
            throw;
        }
        catch (RunDirectoryException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (ArgumentException e)
        {
            // Settings that only the data can refute (a batch larger than the search splits).
            throw new CliException(e.Message, e);
        }

        run.WriteGenotype(result.Genotype);
        var report = new SearchReport(run, request.Algorithm, pair.Describe(), settings, costModel, result);
        run.WriteText("search.svg", report.Chart());
        run.WriteText("result.json", report.ToJson().ToJsonString(SearchReport.JsonOptions) + "\n");
        run.WriteText("report.md", report.ToMarkdown());
        run.MarkFinished();
        run.Log($"genotype {result.Genotype}");
        if (session.Json)
        {
            session.Out.WriteLine(report.ToJson().ToJsonString(SearchReport.JsonOptions));
        }
        else
        {
            session.Results.Write(report.ToTable());
        }
        return ExitCodes.Success;
    }

    private static BlockSearchResult RunDifferentiable(CliSession session, RunDirectory run,
        BlockSearchSettings settings, NasBench.Data.DatasetPair pair, ICostModel costModel, string description,
        CancellationToken cancellationToken)
    {
        var history = run.History(BlockSearchRunner.HistoryColumns);
        bool fromCheckpoint = run.IsResumed && File.Exists(run.LatestCheckpointPath);
        if (!fromCheckpoint)
        {
            history.Truncate(0);
        }
        bool historyChecked = false;
        ITrainingProgress? sink = null;
        var runner = new BlockSearchRunner(settings, pair.Train, costModel)
        {
            CheckpointPath = run.LatestCheckpointPath,
            Fingerprint = run.Fingerprint,
            StepCompleted = step => sink?.Step(step),
            EpochCompleted = (epoch, row) =>
            {
                if (!historyChecked)
                {
                    history.Truncate(epoch.Epoch - 1);
                    historyChecked = true;
                }
                history.Append(row);
                run.Log(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch.Epoch}/{settings.Epochs}: train loss {epoch.TrainLoss:F4} acc " +
                    $"{epoch.TrainAccuracy:P2}, val loss {epoch.TestLoss:F4} acc {epoch.TestAccuracy:P2}, " +
                    $"cost {row[7]}, {epoch.Seconds:F1} s; {row[9]}"));
                sink?.Epoch(epoch);
            },
        };
        int startEpoch = fromCheckpoint ? Math.Min(history.ReadRows().Count, settings.Epochs) : 0;
        return TrainingProgressDisplay.Run(session, description, settings.Epochs, runner.StepsPerEpoch, startEpoch,
            progress =>
            {
                sink = progress;
                return runner.Run(fromCheckpoint, cancellationToken);
            }, evaluatedOn: "val");
    }

    private static BlockSearchResult RunRandom(CliSession session, RunDirectory run, BlockSearchSettings settings,
        NasBench.Data.DatasetPair pair, string description, CancellationToken cancellationToken)
    {
        var history = run.History(RandomBlockSearch.HistoryColumns);
        if (!run.IsResumed)
        {
            history.Truncate(0);
        }
        ITrainingProgress? sink = null;
        var search = new RandomBlockSearch(settings, pair.Train)
        {
            History = history,
            StepCompleted = (_, step) => sink?.Step(step),
            SampleCompleted = (i, row) => run.Log($"sample {i}/{settings.RandomSamples}: val acc {row[3]}, " +
                                                  $"{row[4]} params, {row[5]} s; {row[6]}"),
        };
        run.Log(string.Create(CultureInfo.InvariantCulture,
            $"random search: {settings.RandomSamples} samples × {search.EpochsPerSample} epochs " +
            $"(budget ratio {search.BudgetRatio:F2} of {settings.Epochs} first-order DARTS epochs)"));
        return TrainingProgressDisplay.Run(session, description, settings.RandomSamples * search.EpochsPerSample,
            Math.Max(1, pair.Train.Count / 2 / settings.BatchSize), 0, progress =>
            {
                sink = progress;
                return search.Run(cancellationToken);
            }, evaluatedOn: "val");
    }

    private static ICostModel CostModel(SearchRequest request, SupernetConfig supernet)
    {
        var analyzer = new DartsOperationAnalyzer();
        switch (request.Cost)
        {
            case "params":
                return new ParameterCostModel(analyzer);
            case "flops":
                return new MacCostModel(analyzer);
        }
        if (string.IsNullOrEmpty(request.Target))
        {
            throw new CliException("--cost latency needs --target: a latency table file or a target name " +
                                   "(run 'nasbench latency profile' first).");
        }
        try
        {
            // A table file, or a target whose table for this supernet is cached (profiled on first use).
            var layout = DartsNetworkLayout.ForSupernet(supernet, 1);
            return new TableLatencyCostModel(DartsLatencyTables.Resolve(request.Target, layout), batch: 1);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException
                                      or KeyNotFoundException or ArgumentException or LatencyTableFormatException)
        {
            throw new CliException($"--target: {e.Message}", e);
        }
    }

    private static JsonObject Settings(SearchRequest r, BlockSearchSettings s, string source, ICostModel cost) => new()
    {
        ["stage"] = "block",
        ["algorithm"] = r.Algorithm,
        ["dataset"] = r.Dataset,
        ["dataSource"] = source,
        ["trainLimit"] = r.TrainLimit,
        ["epochs"] = s.Epochs,
        ["initChannels"] = s.Supernet.InitChannels,
        ["layers"] = s.Supernet.Layers,
        ["stemMultiplier"] = s.Supernet.StemMultiplier,
        ["batchSize"] = s.BatchSize,
        ["trainPortion"] = s.TrainPortion,
        ["weightLearningRate"] = 0.025,
        ["weightLearningRateMin"] = 0.001,
        ["momentum"] = 0.9,
        ["weightDecay"] = 3e-4,
        ["gradientClip"] = 5.0,
        ["archLearningRate"] = 3e-4,
        ["archWeightDecay"] = 1e-3,
        ["archBetas"] = new JsonArray(0.5, 0.999),
        ["cost"] = cost.Name,
        ["costUnit"] = cost.Unit,
        ["target"] = r.Target,
        ["lambda"] = s.Lambda,
        ["lambdaWarmup"] = s.EffectiveLambdaWarmup,
        ["lossForm"] = s.LossForm,
        ["archWarmup"] = s.ArchWarmup,
        ["maxRelativeNorm"] = s.MaxRelativeNorm,
        ["randomSamples"] = s.RandomSamples,
        ["seed"] = s.Seed,
    };

    private sealed record SearchRequest(string Algorithm, string Dataset, string? Data, bool Sample, int Epochs,
        int InitChannels, int Layers, int BatchSize, string Cost, string? Target, double Lambda, int LambdaWarmup,
        string? LossForm, int Samples, string Output, string? Name, bool Resume, int TrainLimit,
        bool KeepActivations, int ArchWarmup, int KeptCells);
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Experiments;
using NasBench.Search.Training;
using NasBench.Tensors;
using NasBench.Tensors.Profiling;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench train</c>: trains a genotype's evaluation network from scratch and reports test accuracy,
/// parameters, MACs and wall time, with a run directory, checkpoints, resume and Ctrl-C.</summary>
internal static class TrainCommand
{
    /// <summary>Columns of the run's <c>history.csv</c>.</summary>
    public static readonly string[] HistoryColumns =
    [
        "epoch", "lr", "drop_path", "train_loss", "train_acc", "test_loss", "test_acc", "epoch_seconds",
        "test_seconds",
    ];

    public static Command Create(GlobalOptions globals)
    {
        var genotype = new Option<string>("--genotype")
        {
            Description = "The cell to train: a published name (DARTS_V1, DARTS_V2, DARTS) or a genotype file " +
                          "(canonical JSON as written to a run's genotype.json, or the DARTS text form).",
            Required = true,
        };
        var dataset = DataOptions.Dataset();
        var data = DataOptions.DataDirectory();
        var sample = DataOptions.Sample();
        var epochs = new Option<int>("--epochs")
        {
            Description = "Training epochs; also the period of the cosine learning-rate schedule.",
            DefaultValueFactory = _ => 10,
        };
        var channels = new Option<int>("--init-channels")
        {
            Description = "C: channels of the first cells (doubled at each reduction cell; stem 3C). Even.",
            DefaultValueFactory = _ => 16,
        };
        var layers = new Option<int>("--layers")
        {
            Description = "Cells in the network; reduction cells at L/3 and 2L/3.",
            DefaultValueFactory = _ => 8,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Training mini-batch size.",
            DefaultValueFactory = _ => 96,
        };
        var lr = new Option<double>("--lr")
        {
            Description = "Initial learning rate of SGD (momentum 0.9, weight decay 3e-4), annealed to 0 by cosine.",
            DefaultValueFactory = _ => 0.025,
        };
        var auxiliary = new Option<bool>("--auxiliary")
        {
            Description = "Add DARTS's auxiliary head after cell 2L/3 and its loss (weight 0.4) in training; the " +
                          "head is not counted in the reported parameters and never used for test accuracy.",
        };
        var cutout = new Option<bool>("--cutout")
        {
            Description = "Cutout augmentation (a zeroed square of --cutout-length pixels) besides crop and flip.",
        };
        var cutoutLength = new Option<int>("--cutout-length")
        {
            Description = "Side of the cutout square in pixels.",
            DefaultValueFactory = _ => 16,
        };
        var dropPath = new Option<double>("--drop-path")
        {
            Description = "Final drop-path probability, ramped linearly from 0 over the epochs (DARTS uses 0.2 for " +
                          "600 epochs; short runs do better without).",
            DefaultValueFactory = _ => 0.0,
        };
        var recompute = new Option<bool>("--recompute")
        {
            Description = "Keep only each cell operation's input and output between forward and backward and run " +
                          "it again in backward (activation checkpointing): several times less training memory for " +
                          "about a quarter more time; the results are the same, so a run may be resumed with or " +
                          "without it.",
        };
        var output = DataOptions.Output();
        var name = new Option<string?>("--name")
        {
            Description = "Run name (default: train-<genotype>-c<C>-l<L>-e<epochs>-s<seed>): the run directory is " +
                          "<output>/<name>/ with config.json, genotype.json, history.csv, log.txt, checkpoints/, " +
                          "model.state, result.json and report.md.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run of that name from its last checkpoint (written every epoch and on " +
                          "Ctrl-C); the settings must be the original ones. The result is the same as an " +
                          "uninterrupted run's.",
        };
        var trainLimit = new Option<int>("--train-limit")
        {
            Description = "Train on the first N training images only (0: all); for smoke runs.",
        };
        var testLimit = new Option<int>("--test-limit")
        {
            Description = "Evaluate on the first N test images only (0: all); for smoke runs.",
        };
        var command = new Command(
            "train",
            "Train a genotype's evaluation network from scratch (DARTS recipe: SGD momentum 0.9, weight decay 3e-4, " +
            "cosine schedule, gradient clipping 5, crop + flip augmentation) and report test accuracy, parameters, " +
            "MACs and wall time. Ctrl-C writes a checkpoint and exits 130; --resume continues.")
        {
            genotype, dataset, data, sample, epochs, channels, layers, batchSize, lr, auxiliary, cutout,
            cutoutLength, dropPath, recompute, output, name, resume, trainLimit, testLimit,
        };
        CommandActions.Set(command, globals, (session, parse, cancellationToken) =>
        {
            var request = new TrainRequest(
                parse.GetValue(genotype)!, parse.GetValue(dataset)!, parse.GetValue(data), parse.GetValue(sample),
                parse.GetValue(epochs), parse.GetValue(channels), parse.GetValue(layers), parse.GetValue(batchSize),
                parse.GetValue(lr), parse.GetValue(auxiliary), parse.GetValue(cutout), parse.GetValue(cutoutLength),
                parse.GetValue(dropPath), parse.GetValue(output)!, parse.GetValue(name), parse.GetValue(resume),
                parse.GetValue(trainLimit), parse.GetValue(testLimit), parse.GetValue(recompute));
            return Task.FromResult(Execute(session, request, cancellationToken));
        });
        return command;
    }

    private static int Execute(CliSession session, TrainRequest request, CancellationToken cancellationToken)
    {
        Genotype genotype;
        try
        {
            genotype = PublishedGenotypes.Resolve(request.Genotype);
        }
        catch (Exception e) when (e is GenotypeFormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--genotype: {e.Message}", e);
        }
        var pair = DataOptions.Load(request.Dataset, request.Data, request.Sample, request.TrainLimit,
            request.TestLimit);
        var shape = pair.Train.Shape;
        var config = new NetworkConfig(request.InitChannels, request.Layers, pair.Info.ClassCount, shape.Channels,
            shape.Height, shape.Width, request.Auxiliary);
        var options = new TrainerOptions
        {
            Epochs = request.Epochs,
            BatchSize = request.BatchSize,
            LearningRate = request.LearningRate,
            DropPath = (float)request.DropPath,
            CutoutLength = request.Cutout ? request.CutoutLength : 0,
            Seed = session.Seed,
        };
        DartsNetwork network;
        try
        {
            config.Validate();
            options.Validate();
            network = new DartsNetwork(genotype, config, new Generator((ulong)(uint)session.Seed))
            {
                Recompute = request.Recompute,
            };
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }
        var stats = ModelStatistics.Measure(network, [shape.Channels, shape.Height, shape.Width]);
        long parameters = network.CountParameters();
        long auxiliaryParameters = network.CountParameters(includeAuxiliary: true) - parameters;

        string genotypeLabel = PublishedGenotypes.ByName.ContainsKey(request.Genotype)
            ? request.Genotype.ToUpperInvariant()
            : Path.GetFileNameWithoutExtension(request.Genotype);
        string runName = request.Name ?? string.Create(CultureInfo.InvariantCulture,
            $"train-{genotypeLabel}-c{request.InitChannels}-l{request.Layers}-e{request.Epochs}-s{session.Seed}");
        var settings = Settings(request, genotype, pair, session.Seed);
        RunDirectory run;
        try
        {
            run = RunDirectory.Open(request.Output, runName, "train", settings, request.Resume);
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
        run.WriteGenotype(genotype);
        run.Log($"{pair.Describe()}; network {genotypeLabel} C={config.InitChannels} L={config.Layers}: " +
                $"{parameters} parameters (+{auxiliaryParameters} auxiliary), {stats.MacsPerSample} MACs; " +
                $"threads {session.Threads}{(request.Recompute ? "; recomputing cell operations in backward" : "")}");
        var history = run.History(HistoryColumns);
        bool resumeFromCheckpoint = run.IsResumed && File.Exists(run.LatestCheckpointPath);
        if (run.IsResumed && !resumeFromCheckpoint)
        {
            // Stopped before the first checkpoint: nothing trained yet, so start over in the same directory.
            history.Truncate(0);
            run.Log("no checkpoint yet: starting from epoch 1");
        }
        bool historyChecked = false;
        ITrainingProgress? sink = null;
        var trainer = new ClassifierTrainer(network, pair.Train, pair.Test, options)
        {
            CheckpointPath = run.LatestCheckpointPath,
            Fingerprint = run.Fingerprint,
            StepCompleted = step => sink?.Step(step),
            EpochCompleted = epoch =>
            {
                if (!historyChecked)
                {
                    // A resumed run rewinds history.csv to its checkpoint before adding rows.
                    history.Truncate(epoch.Epoch - 1);
                    historyChecked = true;
                }
                history.Append(Row(epoch));
                run.Log(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch.Epoch}/{options.Epochs}: train loss {epoch.TrainLoss:F4} acc " +
                    $"{epoch.TrainAccuracy:P2}, test loss {epoch.TestLoss:F4} acc {epoch.TestAccuracy:P2}, " +
                    $"lr {epoch.LearningRate:G4}, {epoch.Seconds:F1} s train, {epoch.TestSeconds:F1} s test"));
                sink?.Epoch(epoch);
            },
        };
        string description = $"{genotypeLabel} C={config.InitChannels} L={config.Layers}";
        int startEpoch = resumeFromCheckpoint ? Math.Min(history.ReadRows().Count, options.Epochs) : 0;
        TrainingResult result;
        try
        {
            result = TrainingProgressDisplay.Run(session, description, options.Epochs, trainer.StepsPerEpoch,
                startEpoch, progress =>
                {
                    sink = progress;
                    return trainer.Run(resumeFromCheckpoint, cancellationToken);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Log("cancelled; checkpoint written");
            session.Error.WriteLine(
                $"nasbench: checkpoint written to {run.LatestCheckpointPath}; continue with the same command and --resume.");
            throw;
        }
        catch (RunDirectoryException e)
        {
            throw new CliException(e.Message, e);
        }
        network.Save(run.File("model.state"));
        var report = new TrainReport(run, genotypeLabel, genotype, pair.Describe(), config, options, parameters,
            auxiliaryParameters, stats.MacsPerSample, result);
        run.WriteText("result.json", report.ToJson().ToJsonString(TrainReport.JsonOptions) + "\n");
        run.WriteText("report.md", report.ToMarkdown());
        run.MarkFinished();
        if (session.Json)
        {
            session.Out.WriteLine(report.ToJson().ToJsonString(TrainReport.JsonOptions));
        }
        else
        {
            session.Results.Write(report.ToTable());
        }
        return ExitCodes.Success;
    }

    private static JsonObject Settings(TrainRequest r, Genotype genotype, NasBench.Data.DatasetPair pair, int seed) =>
        new()
        {
            ["genotype"] = r.Genotype,
            ["genotypeJson"] = GenotypeJson.Serialize(genotype),
            ["dataset"] = r.Dataset,
            ["dataSource"] = pair.Describe(),
            ["trainLimit"] = r.TrainLimit,
            ["testLimit"] = r.TestLimit,
            ["epochs"] = r.Epochs,
            ["initChannels"] = r.InitChannels,
            ["layers"] = r.Layers,
            ["batchSize"] = r.BatchSize,
            ["learningRate"] = r.LearningRate,
            ["minLearningRate"] = 0.0,
            ["momentum"] = 0.9,
            ["weightDecay"] = 3e-4,
            ["gradientClip"] = 5.0,
            ["auxiliary"] = r.Auxiliary,
            ["auxiliaryWeight"] = 0.4,
            ["cropPadding"] = 4,
            ["flip"] = true,
            ["cutoutLength"] = r.Cutout ? r.CutoutLength : 0,
            ["dropPath"] = r.DropPath,
            ["seed"] = seed,
        };

    private static string[] Row(EpochResult e) =>
    [
        HistoryCsv.Format(e.Epoch), HistoryCsv.Format(e.LearningRate), HistoryCsv.Format(e.DropPath),
        HistoryCsv.Format(e.TrainLoss), HistoryCsv.Format(e.TrainAccuracy), HistoryCsv.Format(e.TestLoss),
        HistoryCsv.Format(e.TestAccuracy), HistoryCsv.Format(e.Seconds), HistoryCsv.Format(e.TestSeconds),
    ];

    private sealed record TrainRequest(
        string Genotype, string Dataset, string? Data, bool Sample, int Epochs, int InitChannels, int Layers,
        int BatchSize, double LearningRate, bool Auxiliary, bool Cutout, int CutoutLength, double DropPath,
        string Output, string? Name, bool Resume, int TrainLimit, int TestLimit, bool Recompute);
}

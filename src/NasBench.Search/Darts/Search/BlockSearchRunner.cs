using System.Diagnostics;
using System.Globalization;
using NasBench.Data;
using NasBench.Data.Augmentation;
using NasBench.Data.Loading;
using NasBench.Hardware.Cost;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Supernet;
using NasBench.Search.Experiments;
using NasBench.Search.Training;
using NasBench.Tensors;

namespace NasBench.Search.Darts.Search;

/// <summary>Runs DARTS (first or second order) or EG-DARTS over a dataset: the bi-level split, lockstep loaders,
/// per-epoch history and checkpoints, resume (also mid-epoch, after Ctrl-C) and the derived genotype.</summary>
/// <remarks>Determinism: the split, the batch order and augmentation of every epoch depend only on the seed, and
/// every step is deterministic, so a resumed run reproduces an uninterrupted one bit for bit.</remarks>
public sealed class BlockSearchRunner
{
    /// <summary>Columns of <c>history.csv</c>.</summary>
    public static readonly string[] HistoryColumns =
    [
        "epoch", "lr", "lambda", "train_loss", "train_acc", "val_loss", "val_acc", "cost", "seconds", "genotype",
        "alpha_normal", "alpha_reduce",
    ];

    private readonly BlockSearchSettings _settings;
    private readonly ImageDataset _train;
    private readonly ImageDataset _validation;
    private readonly ICostModel? _costModel;

    /// <param name="trainingSet">The full training set; it is split into weight and α parts.</param>
    /// <param name="costModel">Cost of operations for EG-DARTS (ignored by the other algorithms).</param>
    public BlockSearchRunner(BlockSearchSettings settings, ImageDataset trainingSet, ICostModel? costModel)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(trainingSet);
        settings.Validate();
        if (settings.Algorithm == "random")
        {
            throw new ArgumentException("Random search is run by RandomBlockSearch, not the differentiable runner.");
        }
        if (settings.UsesComplexity && costModel is null)
        {
            throw new ArgumentException("EG-DARTS needs a cost model (params, flops or a latency table).");
        }
        _settings = settings;
        var split = DataSplit.Stratified(trainingSet.Labels, trainingSet.ClassCount, 1 - settings.TrainPortion,
            settings.Seed);
        _train = trainingSet.Subset(split.Train, trainingSet.Name + "-search-train");
        _validation = trainingSet.Subset(split.Validation, trainingSet.Name + "-search-val");
        _costModel = costModel;
    }

    public int StepsPerEpoch => Math.Min(_train.Count, _validation.Count) / _settings.BatchSize;

    public string? CheckpointPath { get; init; }

    public string Fingerprint { get; init; } = "";

    public Action<TrainingStep>? StepCompleted { get; init; }

    /// <summary>Called after each epoch with its result and the history row (before the checkpoint is written).</summary>
    public Action<EpochResult, IReadOnlyList<string>>? EpochCompleted { get; init; }

    public BlockSearchResult Run(bool resume = false, CancellationToken cancellationToken = default)
    {
        if (StepsPerEpoch == 0)
        {
            throw new ArgumentException(
                $"Batch size {_settings.BatchSize} is larger than the search splits ({_train.Count} / "
                + $"{_validation.Count} images), so an epoch would have no step: use a smaller batch or more "
                + "training images.");
        }
        var generator = new Generator((ulong)_settings.Seed);
        var net = new DartsSupernet(_settings.Supernet, generator);
        ComplexityPenalty? penalty = null;
        if (_settings.UsesComplexity)
        {
            // Costs are per inference at batch 1 (deployment), not per training batch.
            var table = ArchitectureCostTable.Build(_settings.Supernet, _costModel!);
            penalty = new ComplexityPenalty(table, _settings.Lambda, _settings.EffectiveLambdaWarmup,
                _settings.MaxRelativeNorm);
            if (_settings.LossForm is not null)
            {
                // LAT is the whole network's cost: the fixed parts plus the searchable edges. ProxylessNAS's
                // reference T defaults to LAT at the initial (near-uniform) α.
                double fixedCost = DartsNetworkLayout.ForSupernet(_settings.Supernet, 1).FixedOperations()
                    .Sum(op => _costModel!.Cost(op));
                double reference = fixedCost + penalty.ExpectedCost(net.AlphaNormal, net.AlphaReduce);
                penalty = new ComplexityPenalty(table, _settings.Lambda, _settings.EffectiveLambdaWarmup,
                    _settings.MaxRelativeNorm)
                {
                    Form = HardwareLossForm.Parse(_settings.LossForm, _settings.Lambda, reference),
                    FixedCost = fixedCost,
                };
            }
        }
        var search = new DartsBlockSearch(net, new DartsSearchOptions(_settings.Epochs,
            SecondOrder: _settings.IsSecondOrder), penalty);
        var alphaState = new ArchitectureState(net.AlphaNormal, net.AlphaReduce);

        int startEpoch = 0, startStep = 0;
        var sums = new RunningSums();
        if (resume && CheckpointPath is not null && File.Exists(CheckpointPath))
        {
            var state = Checkpoint.Load(CheckpointPath, net, search.WeightOptimizer, Fingerprint);
            var alpha = Checkpoint.Load(AlphaPath(CheckpointPath), alphaState, search.ArchOptimizer, Fingerprint);
            if (alpha.Epoch != state.Epoch || alpha.Step != state.Step)
            {
                throw new RunDirectoryException(
                    $"{AlphaPath(CheckpointPath)}: α checkpoint is at epoch {alpha.Epoch} step {alpha.Step}, the "
                    + $"weights at epoch {state.Epoch} step {state.Step}; expected the same position.");
            }
            (startEpoch, startStep) = (state.Epoch, state.Step);
            sums = RunningSums.From(state.Values);
            for (int e = 0; e < startEpoch; e++)
            {
                search.EndEpoch();
            }
        }

        var options = new BatchLoaderOptions
        {
            BatchSize = _settings.BatchSize,
            Seed = _settings.Seed,
            DropLast = true,
            Augmentations = [new RandomCrop(4), new HorizontalFlip()],
        };
        using var trainLoader = new BatchLoader(_train, options);
        using var valLoader = new BatchLoader(_validation, options with { Seed = _settings.Seed + 1 });
        var clock = Stopwatch.StartNew();
        double valAccuracy = double.NaN, cost = double.NaN;
        for (int epoch = startEpoch; epoch < _settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            using var trainBatches = trainLoader.Epoch(epoch).GetEnumerator();
            using var valBatches = valLoader.Epoch(epoch).GetEnumerator();
            int first = epoch == startEpoch ? startStep : 0;
            for (int skip = 0; skip < first; skip++)
            {
                trainBatches.MoveNext();
                valBatches.MoveNext();
            }
            if (first == 0)
            {
                sums = new RunningSums();
            }
            for (int step = first; step < StepsPerEpoch; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Save(net, alphaState, search, epoch, step, sums);
                    throw new OperationCanceledException(
                        $"Search cancelled at epoch {epoch + 1}, step {step}; checkpoint written.", cancellationToken);
                }
                trainBatches.MoveNext();
                valBatches.MoveNext();
                SearchStepResult r;
                using (var scope = TensorScope.Enter())
                {
                    var xTrain = trainBatches.Current.ToImageTensor();
                    var xVal = valBatches.Current.ToImageTensor();
                    r = epoch < _settings.ArchWarmup
                        ? search.WarmupStep(xTrain, trainBatches.Current.LabelSpan)
                        : search.Step(xTrain, trainBatches.Current.LabelSpan, xVal, valBatches.Current.LabelSpan,
                            epoch);
                }
                sums.Add(r, _settings.BatchSize);
                StepCompleted?.Invoke(new TrainingStep(epoch + 1, _settings.Epochs, step + 1, StepsPerEpoch,
                    r.TrainLoss, sums.TrainAccuracy));
            }
            double lr = search.WeightOptimizer.LearningRate;
            search.EndEpoch();
            cost = penalty?.NormalizedCost(net.AlphaNormal, net.AlphaReduce) ?? double.NaN;
            valAccuracy = sums.ValidationAccuracy;
            var genotype = net.DeriveGenotype();
            var row = new[]
            {
                (epoch + 1).ToString(CultureInfo.InvariantCulture), HistoryCsv.Format(lr),
                HistoryCsv.Format(penalty?.LambdaAt(epoch) ?? 0), HistoryCsv.Format(sums.TrainLoss),
                HistoryCsv.Format(sums.TrainAccuracy), HistoryCsv.Format(sums.ValidationLoss),
                HistoryCsv.Format(sums.ValidationAccuracy), HistoryCsv.Format(cost),
                HistoryCsv.Format(epochClock.Elapsed.TotalSeconds), genotype.ToString(),
                Join(net.AlphaNormal.AsReadOnlySpan()), Join(net.AlphaReduce.AsReadOnlySpan()),
            };
            EpochCompleted?.Invoke(new EpochResult(epoch + 1, lr, 0, sums.TrainLoss, sums.TrainAccuracy,
                sums.ValidationLoss, sums.ValidationAccuracy, epochClock.Elapsed.TotalSeconds, 0), row);
            Save(net, alphaState, search, epoch + 1, 0, new RunningSums());
        }
        return new BlockSearchResult(net.DeriveGenotype(), valAccuracy, cost, clock.Elapsed.TotalSeconds,
            _settings.Epochs);
    }

    /// <summary>Where the α checkpoint lives beside the weights checkpoint.</summary>
    public static string AlphaPath(string checkpointPath) => Path.ChangeExtension(checkpointPath, ".alpha.ckpt");

    private void Save(DartsSupernet net, ArchitectureState alpha, DartsBlockSearch search, int epoch, int step,
        RunningSums sums)
    {
        if (CheckpointPath is null)
        {
            return;
        }
        var state = new CheckpointState(epoch, step, sums.ToValues());
        // α first: if the process dies between the two writes, the positions disagree and resume says so.
        Checkpoint.Save(AlphaPath(CheckpointPath), alpha, search.ArchOptimizer, state, Fingerprint);
        Checkpoint.Save(CheckpointPath, net, search.WeightOptimizer, state, Fingerprint);
    }

    private static string Join(ReadOnlySpan<float> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            parts[i] = values[i].ToString("G6", CultureInfo.InvariantCulture);
        }
        return string.Join(' ', parts);
    }

    /// <summary>Per-epoch running means, kept exactly across a mid-epoch checkpoint.</summary>
    private sealed class RunningSums
    {
        private double _trainLoss, _trainCorrect, _valLoss, _valCorrect;
        private int _steps, _images;

        public double TrainLoss => _steps == 0 ? double.NaN : _trainLoss / _steps;

        public double TrainAccuracy => _images == 0 ? double.NaN : _trainCorrect / _images;

        public double ValidationLoss => _steps == 0 ? double.NaN : _valLoss / _steps;

        public double ValidationAccuracy => _images == 0 ? double.NaN : _valCorrect / _images;

        public void Add(SearchStepResult r, int batch)
        {
            _trainLoss += r.TrainLoss;
            _valLoss += r.ValidationLoss;
            _trainCorrect += r.TrainAccuracy * batch;
            _valCorrect += r.ValidationAccuracy * batch;
            _steps++;
            _images += batch;
        }

        public Dictionary<string, string> ToValues() => new()
        {
            ["train_loss"] = HistoryCsv.Format(_trainLoss),
            ["train_correct"] = HistoryCsv.Format(_trainCorrect),
            ["val_loss"] = HistoryCsv.Format(_valLoss),
            ["val_correct"] = HistoryCsv.Format(_valCorrect),
            ["steps"] = HistoryCsv.Format(_steps),
            ["images"] = HistoryCsv.Format(_images),
        };

        public static RunningSums From(IReadOnlyDictionary<string, string> values)
        {
            var s = new RunningSums();
            if (values.Count == 0)
            {
                return s;
            }
            double D(string key) => values.TryGetValue(key, out var v)
                ? double.Parse(v, CultureInfo.InvariantCulture)
                : throw new RunDirectoryException($"Checkpoint lacks the search value '{key}'.");
            s._trainLoss = D("train_loss");
            s._trainCorrect = D("train_correct");
            s._valLoss = D("val_loss");
            s._valCorrect = D("val_correct");
            s._steps = (int)D("steps");
            s._images = (int)D("images");
            return s;
        }
    }
}

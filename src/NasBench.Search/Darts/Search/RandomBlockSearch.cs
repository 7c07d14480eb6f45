using System.Diagnostics;
using System.Globalization;
using NasBench.Data;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Search.Experiments;
using NasBench.Search.Training;
using NasBench.Tensors;

namespace NasBench.Search.Darts.Search;

/// <summary>The random-search baseline in the DARTS space under the same budget as the differentiable search
/// (darts.md §1.9: the baseline every NAS paper needs).</summary>
/// <remarks>
/// Budget: a differentiable search of E epochs costs E × steps × passes forward-backward passes over batches of the
/// same size (2 per step first order, 5 second order). Random search spends the same number of passes training
/// <c>RandomSamples</c> uniformly sampled genotypes on the weight split — each for
/// <c>max(1, round(passes / samples / steps))</c> epochs, so tiny budgets are rounded up (the report says by how
/// much) — and keeps the one with the best accuracy on the α split. Networks are built at the supernet's width and
/// depth, so the comparison is about the cell, not the size.
/// Resume works per sample: finished samples are read back from <c>history.csv</c>.
/// </remarks>
public sealed class RandomBlockSearch
{
    public static readonly string[] HistoryColumns =
        ["sample", "epochs", "val_loss", "val_acc", "params", "seconds", "genotype"];

    private readonly BlockSearchSettings _settings;
    private readonly ImageDataset _train;
    private readonly ImageDataset _validation;

    public RandomBlockSearch(BlockSearchSettings settings, ImageDataset trainingSet)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(trainingSet);
        settings.Validate();
        _settings = settings;
        var split = DataSplit.Stratified(trainingSet.Labels, trainingSet.ClassCount, 1 - settings.TrainPortion,
            settings.Seed);
        _train = trainingSet.Subset(split.Train, trainingSet.Name + "-search-train");
        _validation = trainingSet.Subset(split.Validation, trainingSet.Name + "-search-val");
    }

    /// <summary>Steps per epoch of the differentiable search this baseline is matched to.</summary>
    public int SearchStepsPerEpoch => Math.Min(_train.Count, _validation.Count) / _settings.BatchSize;

    /// <summary>Epochs each sampled architecture is trained.</summary>
    public int EpochsPerSample
    {
        get
        {
            double passes = _settings.SearchPasses(SearchStepsPerEpoch);
            double stepsPerEpoch = Math.Max(1, _train.Count / _settings.BatchSize);
            return Math.Max(1, (int)Math.Round(passes / _settings.RandomSamples / stepsPerEpoch));
        }
    }

    /// <summary>Passes spent divided by the differentiable search's passes (1 = equal budget).</summary>
    public double BudgetRatio => (double)_settings.RandomSamples * EpochsPerSample * (_train.Count / _settings.BatchSize)
        / Math.Max(1, _settings.SearchPasses(SearchStepsPerEpoch));

    public HistoryCsv? History { get; init; }

    /// <summary>Called with (sample index from 1, samples, step) while a sample trains.</summary>
    public Action<int, TrainingStep>? StepCompleted { get; init; }

    /// <summary>Called after each sample with its history row.</summary>
    public Action<int, IReadOnlyList<string>>? SampleCompleted { get; init; }

    public BlockSearchResult Run(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var samples = RandomGenotypeSampler.Sample(_settings.RandomSamples, (ulong)_settings.Seed);
        var done = History?.ReadRows() ?? [];
        Genotype? best = null;
        double bestAccuracy = double.NegativeInfinity;
        for (int i = 0; i < samples.Count; i++)
        {
            double accuracy;
            if (i < done.Count)
            {
                // Already trained before an interruption: trust the recorded result, but check it is this sample.
                var row = done[i];
                if (row[6] != samples[i].ToString())
                {
                    throw new RunDirectoryException(
                        $"{History!.Path}: row {i + 1} holds genotype '{row[6]}', but sample {i + 1} of seed "
                        + $"{_settings.Seed} is '{samples[i]}'; the history belongs to another run.");
                }
                accuracy = double.Parse(row[3], CultureInfo.InvariantCulture);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                accuracy = TrainSample(i, samples[i], cancellationToken);
            }
            if (accuracy > bestAccuracy)
            {
                (best, bestAccuracy) = (samples[i], accuracy);
            }
        }
        return new BlockSearchResult(best!, bestAccuracy, double.NaN, clock.Elapsed.TotalSeconds, _settings.Epochs);
    }

    private double TrainSample(int index, Genotype genotype, CancellationToken cancellationToken)
    {
        var s = _settings.Supernet;
        var config = new NetworkConfig(s.InitChannels, s.Layers, s.Classes, s.InputChannels, s.InputHeight,
            s.InputWidth, Auxiliary: false, StemMultiplier: s.StemMultiplier);
        var net = new DartsNetwork(genotype, config, new Generator((ulong)(_settings.Seed * 1000 + index)));
        var trainer = new ClassifierTrainer(net, _train, _validation, new TrainerOptions
        {
            Epochs = EpochsPerSample,
            BatchSize = _settings.BatchSize,
            Seed = _settings.Seed + index,
        })
        {
            StepCompleted = step => StepCompleted?.Invoke(index + 1, step),
        };
        var clock = Stopwatch.StartNew();
        var result = trainer.Run(cancellationToken: cancellationToken).Final;
        var row = new[]
        {
            (index + 1).ToString(CultureInfo.InvariantCulture), EpochsPerSample.ToString(CultureInfo.InvariantCulture),
            HistoryCsv.Format(result.TestLoss), HistoryCsv.Format(result.TestAccuracy),
            HistoryCsv.Format(net.CountParameters()), HistoryCsv.Format(clock.Elapsed.TotalSeconds), genotype.ToString(),
        };
        History?.Append(row);
        SampleCompleted?.Invoke(index + 1, row);
        return result.TestAccuracy;
    }
}

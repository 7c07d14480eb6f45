using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NasBench.Data;
using NasBench.Data.Augmentation;
using NasBench.Data.Loading;
using NasBench.Search.Darts.Network;
using NasBench.Search.Experiments;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Training;

/// <summary>Trains an image classifier from scratch and evaluates it on the test set after every epoch (the DARTS
/// evaluation recipe, darts.md §1.8), with checkpoints, resume and cancellation.</summary>
/// <remarks>
/// <para>Per epoch e (from 0): lr = η_min + (lr₀ − η_min)(1 + cos(πe/E))/2; drop-path p·e/E. Per step: forward, loss
/// = CE(logits) (+ w_aux·CE(aux logits) for a <see cref="DartsNetwork"/> with an auxiliary head), backward, clip the
/// global gradient norm, SGD step. Every step runs inside a <see cref="TensorScope"/>, so intermediates go back to the
/// pool and a steady-state step allocates no large arrays.</para>
/// <para>Determinism: the batch order and augmentation of epoch e depend only on (seed, e) (see
/// <see cref="BatchLoader"/>), and the drop-path generator is reseeded at every step from (seed, e, step). The whole
/// state of a run is therefore weights, buffers, optimizer state, the position and the running sums, which is what
/// a checkpoint stores: a run resumed from one is bit-identical to the uninterrupted run.</para>
/// <para>Cancellation is observed at step boundaries: the trainer writes a checkpoint at the current position and
/// throws <see cref="OperationCanceledException"/>.</para>
/// </remarks>
public sealed class ClassifierTrainer
{
    private const string HistoryKey = "history";
    private const string LossSumKey = "epoch.loss_sum";
    private const string CorrectKey = "epoch.correct";
    private const string SeenKey = "epoch.seen";
    private const string SecondsKey = "epoch.seconds";

    private readonly Module<Tensor, Tensor> _model;
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly TrainerOptions _options;

    /// <param name="model">Maps [N, C, H, W] images to [N, classes] logits.</param>
    /// <param name="train">Training images (augmented as the options say).</param>
    /// <param name="test">Test images (never augmented).</param>
    /// <param name="options">Recipe, seed and augmentation.</param>
    public ClassifierTrainer(Module<Tensor, Tensor> model, ImageDataset train, ImageDataset test,
        TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Shape != test.Shape)
        {
            throw new ArgumentException(
                $"Training images are {train.Shape} but test images are {test.Shape}.", nameof(test));
        }
        _model = model;
        _train = train;
        _test = test;
        _options = options;
    }

    /// <summary>Where checkpoints go (written after every epoch and on cancellation), or null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>The run's fingerprint stored in, and required of, checkpoints (<see cref="RunDirectory.Fingerprint"/>).
    /// </summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>Called after every training step, on the training thread.</summary>
    public Action<TrainingStep>? StepCompleted { get; init; }

    /// <summary>Called after every epoch's evaluation and before its checkpoint is written, so a history file
    /// appended here is never behind the checkpoint.</summary>
    public Action<EpochResult>? EpochCompleted { get; init; }

    /// <summary>Training steps per epoch.</summary>
    public int StepsPerEpoch => (_train.Count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0).</summary>
    public double LearningRateAt(int epoch) =>
        _options.MinLearningRate + ((_options.LearningRate - _options.MinLearningRate)
            * (1 + Math.Cos(Math.PI * epoch / _options.Epochs)) / 2);

    /// <summary>Trains for the remaining epochs.</summary>
    /// <param name="resume">Continue from <see cref="CheckpointPath"/> (which must exist).</param>
    /// <param name="cancellationToken">Observed between steps; a checkpoint is written before the
    /// <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RunDirectoryException">The checkpoint to resume from is missing, corrupt or foreign.
    /// </exception>
    public TrainingResult Run(bool resume = false, CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var optimizer = new Sgd(_model.Parameters(), _options.LearningRate, _options.Momentum, 0,
            _options.WeightDecay, nesterov: false);
        var history = new List<EpochResult>();
        int startEpoch = 0, startStep = 0;
        double lossSum = 0, secondsBefore = 0;
        long correct = 0, seen = 0;
        (int, int)? resumedAt = null;
        if (resume)
        {
            if (CheckpointPath is null)
            {
                throw new InvalidOperationException("Resume needs a CheckpointPath.");
            }
            var state = Checkpoint.Load(CheckpointPath, _model, optimizer, Fingerprint);
            startEpoch = state.Epoch;
            startStep = state.Step;
            history.AddRange(ReadHistory(CheckpointPath, state.Values));
            if (history.Count != startEpoch)
            {
                throw new RunDirectoryException(
                    $"{CheckpointPath}: entry 'state.history' holds {history.Count} epochs, expected {startEpoch}.");
            }
            lossSum = ReadDouble(state.Values, LossSumKey);
            correct = (long)ReadDouble(state.Values, CorrectKey);
            seen = (long)ReadDouble(state.Values, SeenKey);
            secondsBefore = ReadDouble(state.Values, SecondsKey);
            resumedAt = (startEpoch, startStep);
        }

        var network = _model as DartsNetwork;
        bool auxiliary = network is { Config.Auxiliary: true } && _options.AuxiliaryWeight > 0;
        using var loader = new BatchLoader(_train, new BatchLoaderOptions
        {
            BatchSize = _options.BatchSize,
            Shuffle = true,
            Seed = _options.Seed,
            Augmentations = Augmentations(),
            Prefetch = _options.Prefetch,
        });
        using var testLoader = new BatchLoader(_test, new BatchLoaderOptions
        {
            BatchSize = _options.EvalBatchSize,
            Shuffle = false,
            Prefetch = _options.Prefetch,
        });
        int steps = loader.BatchesPerEpoch;
        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            optimizer.LearningRate = LearningRateAt(epoch);
            float dropPath = _options.DropPath * epoch / _options.Epochs;
            if (network is not null)
            {
                network.DropPathProbability = dropPath;
            }
            _model.Train();
            var timer = Stopwatch.StartNew();
            int step = 0;
            int skip = epoch == startEpoch ? startStep : 0;
            if (!(resume && epoch == startEpoch))
            {
                lossSum = 0;
                correct = 0;
                seen = 0;
                secondsBefore = 0;
            }
            foreach (var batch in loader.Epoch(epoch))
            {
                if (step < skip)
                {
                    // The loader regenerates the epoch from (seed, epoch); batches already trained on are skipped.
                    step++;
                    continue;
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    SaveCheckpoint(optimizer, epoch, step, history, lossSum, correct, seen,
                        secondsBefore + timer.Elapsed.TotalSeconds);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                double batchLoss;
                using (TensorScope.Enter())
                {
                    network?.ReseedDropPath(StepSeed(_options.Seed, epoch, step));
                    var logits = _model.Forward(batch.ToImageTensor());
                    var loss = Functional.CrossEntropy(logits, batch.LabelSpan);
                    var objective = loss;
                    if (auxiliary && network!.AuxiliaryLogits is { } aux)
                    {
                        objective = loss + (Functional.CrossEntropy(aux, batch.LabelSpan) * (float)_options.AuxiliaryWeight);
                    }
                    optimizer.ZeroGrad();
                    objective.Backward();
                    if (_options.GradientClip > 0)
                    {
                        GradientClipping.ClipGradNorm(optimizer.Parameters, _options.GradientClip);
                    }
                    optimizer.Step();
                    batchLoss = loss.Item();
                    correct += CountCorrect(logits, batch.LabelSpan);
                }
                lossSum += batchLoss * batch.Count;
                seen += batch.Count;
                step++;
                StepCompleted?.Invoke(new TrainingStep(epoch + 1, _options.Epochs, step, steps, batchLoss,
                    (double)correct / seen));
            }
            optimizer.ZeroGrad();
            double seconds = secondsBefore + timer.Elapsed.TotalSeconds;
            var testTimer = Stopwatch.StartNew();
            var (testLoss, testAccuracy) = Evaluate(testLoader);
            var result = new EpochResult(epoch + 1, optimizer.LearningRate, dropPath, lossSum / Math.Max(seen, 1),
                (double)correct / Math.Max(seen, 1), testLoss, testAccuracy, seconds, testTimer.Elapsed.TotalSeconds);
            history.Add(result);
            EpochCompleted?.Invoke(result);
            SaveCheckpoint(optimizer, epoch + 1, 0, history, 0, 0, 0, 0);
            if (epoch + 1 < _options.Epochs)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return new TrainingResult(history, resumedAt, wall.Elapsed.TotalSeconds);
    }

    /// <summary>Mean cross-entropy and accuracy of the model on the test set, in evaluation mode.</summary>
    public (double Loss, double Accuracy) Evaluate()
    {
        using var testLoader = new BatchLoader(_test, new BatchLoaderOptions
        {
            BatchSize = _options.EvalBatchSize,
            Shuffle = false,
            Prefetch = _options.Prefetch,
        });
        return Evaluate(testLoader);
    }

    private (double Loss, double Accuracy) Evaluate(BatchLoader testLoader)
    {
        bool wasTraining = _model.IsTraining;
        _model.Eval();
        double lossSum = 0;
        long correct = 0, seen = 0;
        try
        {
            using var noGrad = Tensor.NoGrad();
            foreach (var batch in testLoader.Epoch(0))
            {
                using var scope = TensorScope.Enter();
                var logits = _model.Forward(batch.ToImageTensor());
                lossSum += Functional.CrossEntropy(logits, batch.LabelSpan).Item() * (double)batch.Count;
                correct += CountCorrect(logits, batch.LabelSpan);
                seen += batch.Count;
            }
        }
        finally
        {
            _model.Train(wasTraining);
        }
        return (lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1));
    }

    private List<IAugmentation> Augmentations()
    {
        var list = new List<IAugmentation>();
        if (_options.CropPadding > 0)
        {
            list.Add(new RandomCrop(_options.CropPadding));
        }
        if (_options.Flip)
        {
            list.Add(new HorizontalFlip());
        }
        if (_options.CutoutLength > 0)
        {
            list.Add(new Cutout(_options.CutoutLength));
        }
        return list;
    }

    private void SaveCheckpoint(Optimizer optimizer, int epoch, int step, List<EpochResult> history, double lossSum,
        long correct, long seen, double seconds)
    {
        if (CheckpointPath is null)
        {
            return;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HistoryKey] = JsonSerializer.Serialize(history),
            [LossSumKey] = lossSum.ToString("R", CultureInfo.InvariantCulture),
            [CorrectKey] = correct.ToString(CultureInfo.InvariantCulture),
            [SeenKey] = seen.ToString(CultureInfo.InvariantCulture),
            [SecondsKey] = seconds.ToString("R", CultureInfo.InvariantCulture),
        };
        Checkpoint.Save(CheckpointPath, _model, optimizer, new CheckpointState(epoch, step, values), Fingerprint);
    }

    private static List<EpochResult> ReadHistory(string path, IReadOnlyDictionary<string, string> values)
    {
        if (!values.TryGetValue(HistoryKey, out var json))
        {
            throw new RunDirectoryException($"{path}: metadata entry 'state.{HistoryKey}' is missing.");
        }
        try
        {
            return JsonSerializer.Deserialize<List<EpochResult>>(json)
                ?? throw new RunDirectoryException($"{path}: metadata entry 'state.{HistoryKey}' is null.");
        }
        catch (JsonException e)
        {
            throw new RunDirectoryException($"{path}: metadata entry 'state.{HistoryKey}' is corrupt ({e.Message}).", e);
        }
    }

    private double ReadDouble(IReadOnlyDictionary<string, string> values, string key)
    {
        if (!values.TryGetValue(key, out var text)
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new RunDirectoryException(
                $"{CheckpointPath}: metadata entry 'state.{key}' expected a number, found {(text is null ? "none" : $"\"{text}\"")}.");
        }
        return value;
    }

    /// <summary>Counts rows of [N, classes] logits whose arg-max equals the label (first maximum wins).</summary>
    internal static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        var values = logits.AsReadOnlySpan();
        int classes = logits.Shape[1];
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            var row = values.Slice(r * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            correct += best == labels[r] ? 1 : 0;
        }
        return correct;
    }

    /// <summary>Seed of the drop-path stream at one step: SplitMix64 of (seed, epoch, step).</summary>
    private static ulong StepSeed(int seed, int epoch, int step)
    {
        ulong z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)epoch << 20) ^ (uint)step;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

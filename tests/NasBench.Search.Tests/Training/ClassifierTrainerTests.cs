using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Experiments;
using NasBench.Search.Tests.Experiments;
using NasBench.Search.Training;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using Xunit.Abstractions;

namespace NasBench.Search.Tests.Training;

public class ClassifierTrainerTests(ITestOutputHelper output)
{
    private static Sequential SmallCnn(ulong seed)
    {
        var g = new Generator(seed);
        return new Sequential(
            new Conv2d(1, 8, 3, g, stride: 2, padding: 1, bias: false), new BatchNorm2d(8), new ReLU(),
            new Conv2d(8, 16, 3, g, stride: 2, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(),
            new AdaptiveAvgPool2d(), new Flatten(), new Linear(16, 10, g));
    }

    [Fact]
    public void Learns_the_sample_task_loss_falls_and_test_accuracy_is_over_three_times_chance()
    {
        var (train, test) = SampleData.Slice(800, 200);
        var options = new TrainerOptions
        {
            Epochs = 4, BatchSize = 32, LearningRate = 0.1, Seed = 3, CropPadding = 0, Flip = false,
        };
        var steps = new List<TrainingStep>();
        var trainer = new ClassifierTrainer(SmallCnn(1), train, test, options) { StepCompleted = steps.Add };

        var result = trainer.Run();

        foreach (var e in result.Epochs)
        {
            output.WriteLine(e.ToString());
        }
        Assert.Equal(4, result.Epochs.Count);
        Assert.Equal(4 * trainer.StepsPerEpoch, steps.Count);
        Assert.True(result.Final.TrainLoss < result.Epochs[0].TrainLoss * 0.8,
            $"train loss {result.Epochs[0].TrainLoss} → {result.Final.TrainLoss}");
        Assert.True(result.Final.TestAccuracy > 0.35, $"test accuracy {result.Final.TestAccuracy}");
        // Cosine schedule: epoch e uses lr0·(1 + cos(πe/E))/2.
        Assert.Equal(0.1, result.Epochs[0].LearningRate, 12);
        Assert.Equal(0.05, result.Epochs[2].LearningRate, 12);
        var (loss, accuracy) = trainer.Evaluate();
        Assert.Equal(result.Final.TestLoss, loss, 12);
        Assert.Equal(result.Final.TestAccuracy, accuracy, 12);
    }

    private static DartsNetwork TinyNetwork(ulong seed) =>
        new(PublishedGenotypes.DartsV2, new NetworkConfig(InitChannels: 4, Layers: 3, Auxiliary: true),
            new Generator(seed));

    private static readonly TrainerOptions TinyOptions = new()
    {
        Epochs = 3, BatchSize = 32, EvalBatchSize = 64, Seed = 11, DropPath = 0.3f, CutoutLength = 8,
    };

    private static ClassifierTrainer TinyTrainer(DartsNetwork net, string checkpoint, Action<TrainingStep>? onStep = null)
    {
        var (train, test) = SampleData.Slice(96, 64);
        return new ClassifierTrainer(net, train, test, TinyOptions)
        {
            CheckpointPath = checkpoint, Fingerprint = "tiny", StepCompleted = onStep,
        };
    }

    [Fact]
    public void Resume_after_cancellation_equals_the_uninterrupted_run_bit_for_bit()
    {
        using var scratch = new ScratchDirectory();
        var reference = TinyNetwork(5);
        var full = TinyTrainer(reference, scratch.File("full.ckpt")).Run();

        // Cancel in the middle of epoch 2 (after its 2nd of 3 steps); the trainer checkpoints at that step.
        string path = scratch.File("cut.ckpt");
        using var cancel = new CancellationTokenSource();
        var first = TinyNetwork(5);
        var cut = TinyTrainer(first, path, s =>
        {
            if (s is { Epoch: 2, Step: 2 })
            {
                cancel.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => cut.Run(cancellationToken: cancel.Token));
        var saved = Checkpoint.Load(path, TinyNetwork(9), null, "tiny");
        Assert.Equal((1, 2), (saved.Epoch, saved.Step));

        // Resume into a differently initialised network: everything must come from the checkpoint.
        var resumedNet = TinyNetwork(77);
        var resumed = TinyTrainer(resumedNet, path).Run(resume: true);

        Assert.Equal((1, 2), resumed.ResumedAtEpoch);
        Assert.Equal(3, resumed.Epochs.Count);
        for (int i = 0; i < 3; i++)
        {
            var (a, b) = (full.Epochs[i], resumed.Epochs[i]);
            Assert.Equal((a.TrainLoss, a.TrainAccuracy, a.TestLoss, a.TestAccuracy, a.LearningRate, a.DropPath),
                (b.TrainLoss, b.TrainAccuracy, b.TestLoss, b.TestAccuracy, b.LearningRate, b.DropPath));
        }
        var expected = reference.StateDict();
        foreach (var (name, t) in resumedNet.StateDict())
        {
            Assert.True(expected[name].AsReadOnlySpan().SequenceEqual(t.AsReadOnlySpan()), $"{name} differs");
        }
        Assert.True(full.Final.TrainLoss is > 0 and < 10);
    }

    [Fact]
    public void Resume_from_a_corrupt_checkpoint_is_a_clear_error()
    {
        using var scratch = new ScratchDirectory();
        string path = scratch.File("bad.ckpt");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<RunDirectoryException>(() => TinyTrainer(TinyNetwork(1), path).Run(resume: true));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_name_the_setting()
    {
        var (train, test) = SampleData.Slice(10, 10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ClassifierTrainer(SmallCnn(1), train, test, new TrainerOptions { DropPath = 1.5f }));
        Assert.Contains("DropPath", e.Message, StringComparison.Ordinal);
    }
}

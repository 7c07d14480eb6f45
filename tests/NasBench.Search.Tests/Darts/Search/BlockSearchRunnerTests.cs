using NasBench.Data;
using NasBench.Search.Darts.Search;
using NasBench.Search.Darts.Supernet;
using NasBench.Search.Experiments;

namespace NasBench.Search.Tests.Darts.Search;

public class BlockSearchRunnerTests
{
    /// <summary>A 3-class 8×8 task: class k has a bright horizontal bar in row band k.</summary>
    private static ImageDataset Bars(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * 64];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            for (int p = 0; p < 64; p++)
            {
                pixels[(i * 64) + p] = (byte)rng.Next(0, 60);
            }
            int row = (labels[i] * 3) + 1;
            for (int x = 0; x < 8; x++)
            {
                pixels[(i * 64) + (row * 8) + x] = 255;
            }
        }
        return new ImageDataset("bars", new ImageShape(1, 8, 8), 3, pixels, labels);
    }

    private static BlockSearchSettings Settings(string algorithm, int epochs) => new(algorithm,
        new SupernetConfig(InitChannels: 4, Layers: 3, Classes: 3, InputHeight: 8, InputWidth: 8, StemMultiplier: 1),
        Epochs: epochs, BatchSize: 8, Seed: 3, Lambda: 0.5, LambdaWarmup: 0);

    [Fact]
    public void Arch_warmup_trains_weights_only_then_moves_alpha()
    {
        var data = Bars(48, 2);
        List<IReadOnlyList<string>> Rows(int warmup)
        {
            var rows = new List<IReadOnlyList<string>>();
            new BlockSearchRunner(Settings("darts", 2) with { ArchWarmup = warmup }, data, null)
            {
                EpochCompleted = (_, row) => rows.Add(row),
            }.Run();
            return rows;
        }
        var warm = Rows(1);
        var plain = Rows(0);
        // Columns: 5 validation loss, 10/11 α of the normal/reduction cells.
        Assert.Equal("NaN", warm[0][5]);
        Assert.NotEqual("NaN", warm[1][5]);
        Assert.NotEqual("NaN", plain[0][5]);
        // No α step in the warm-up epoch: α still differs from the plain run's after one epoch of α steps, and moves
        // in the second epoch.
        Assert.NotEqual(plain[0][10], warm[0][10]);
        Assert.NotEqual(warm[0][10], warm[1][10]);
        Assert.NotEqual(warm[0][11], warm[1][11]);
    }

    [Fact]
    public void Arch_warmup_is_validated_and_counted_in_the_random_search_budget()
    {
        var settings = Settings("darts", 3) with { ArchWarmup = 1 };
        settings.Validate();
        // 10 steps per epoch: one warm-up epoch at 1 pass per step, two epochs at 2 (first order).
        Assert.Equal(10 * (1 + (2 * 2)), settings.SearchPasses(10));
        Assert.Equal(10 * 3 * 2, Settings("darts", 3).SearchPasses(10));
        Assert.Throws<ArgumentException>(() => (Settings("darts", 3) with { ArchWarmup = 3 }).Validate());
        Assert.Throws<ArgumentException>(() => (Settings("darts", 3) with { ArchWarmup = -1 }).Validate());
    }

    [Fact]
    public void Resuming_after_an_epoch_gives_the_uninterrupted_result()
    {
        var data = Bars(48, 1);
        var cost = new TinySearch.ConvolutionCost();
        string dir = Path.Combine(Path.GetTempPath(), $"nasbench-search-resume-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var rowsFull = new List<IReadOnlyList<string>>();
            var full = new BlockSearchRunner(Settings("eg-darts", 2), data, cost)
            {
                EpochCompleted = (_, row) => rowsFull.Add(row),
            }.Run();

            string checkpoint = Path.Combine(dir, "latest.ckpt");
            var rowsResumed = new List<IReadOnlyList<string>>();
            // First process: one epoch only (a 1-epoch run with the 2-epoch settings is not the same schedule, so stop
            // it by cancelling once epoch 1 has been checkpointed).
            using var cts = new CancellationTokenSource();
            var first = new BlockSearchRunner(Settings("eg-darts", 2), data, cost)
            {
                CheckpointPath = checkpoint,
                EpochCompleted = (_, row) =>
                {
                    rowsResumed.Add(row);
                    cts.Cancel();
                },
            };
            Assert.Throws<OperationCanceledException>(() => first.Run(cancellationToken: cts.Token));
            var second = new BlockSearchRunner(Settings("eg-darts", 2), data, cost)
            {
                CheckpointPath = checkpoint,
                EpochCompleted = (_, row) => rowsResumed.Add(row),
            };
            var resumed = second.Run(resume: true);

            Assert.Equal(full.Genotype, resumed.Genotype);
            Assert.Equal(rowsFull.Count, rowsResumed.Count);
            for (int i = 0; i < rowsFull.Count; i++)
            {
                // Everything but the wall time (column 8) is identical, α included.
                Assert.Equal(rowsFull[i].Where((_, c) => c != 8), rowsResumed[i].Where((_, c) => c != 8));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused()
    {
        var data = Bars(48, 2);
        string dir = Path.Combine(Path.GetTempPath(), $"nasbench-search-foreign-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string checkpoint = Path.Combine(dir, "latest.ckpt");
            new BlockSearchRunner(Settings("darts", 1), data, null) { CheckpointPath = checkpoint, Fingerprint = "a" }
                .Run();
            var other = new BlockSearchRunner(Settings("darts", 1), data, null)
            {
                CheckpointPath = checkpoint,
                Fingerprint = "b",
            };
            var e = Assert.Throws<RunDirectoryException>(() => other.Run(resume: true));
            Assert.Contains("latest.ckpt", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

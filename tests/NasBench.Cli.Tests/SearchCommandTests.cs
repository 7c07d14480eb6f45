using System.Text.Json;
using NasBench.Search.Darts;

namespace NasBench.Cli.Tests;

/// <summary><c>nasbench search</c> end to end on a slice of the embedded sample with a tiny supernet (C = 4, 3 cells).
/// </summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nasbench-search-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string[] Args(string name, params string[] extra) =>
    [
        "search", "--sample", "--epochs", "1", "--init-channels", "4", "--layers", "3", "--batch-size", "16",
        "--train-limit", "64", "--output", _root, "--name", name, "--no-progress", .. extra,
    ];

    [Fact]
    public void EgDarts_writes_the_run_directory_and_a_valid_genotype()
    {
        var result = CliRunner.Run(Args("eg", "--json", "--cost", "flops"));
        Assert.True(result.ExitCode == 0, result.Error);
        string run = Path.Combine(_root, "eg");
        foreach (string file in (string[])["config.json", "genotype.json", "history.csv", "log.txt", "report.md",
                     "result.json", "search.svg", "FINISHED", "checkpoints/latest.ckpt",
                     "checkpoints/latest.alpha.ckpt"])
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        }
        var json = JsonDocument.Parse(result.Output).RootElement;
        var genotype = GenotypeJson.Deserialize(File.ReadAllText(Path.Combine(run, "genotype.json")));
        Assert.Equal(genotype.ToString(), json.GetProperty("genotype").GetString());
        Assert.Equal("flops", json.GetProperty("cost").GetString());
        string[] history = File.ReadAllLines(Path.Combine(run, "history.csv"));
        Assert.Equal(2, history.Length);
        Assert.StartsWith("epoch,lr,lambda,", history[0], StringComparison.Ordinal);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(run, "search.svg")), StringComparison.Ordinal);

        // The run directory is never overwritten; resuming a finished run prints its result without searching.
        var refused = CliRunner.Run(Args("eg", "--json", "--cost", "flops"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--resume", refused.Error, StringComparison.Ordinal);
        var again = CliRunner.Run(Args("eg", "--json", "--cost", "flops", "--resume"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already finished", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeping_activations_finds_the_same_genotype_as_recomputing_them()
    {
        // Recomputation only trades memory for time: the searched α, hence the genotype, must not change.
        var recomputed = CliRunner.Run(Args("recompute", "--json"));
        var kept = CliRunner.Run(Args("kept", "--json", "--keep-activations"));
        Assert.True(recomputed.ExitCode == 0, recomputed.Error);
        Assert.True(kept.ExitCode == 0, kept.Error);
        Assert.Equal(JsonDocument.Parse(recomputed.Output).RootElement.GetProperty("genotype").GetString(),
            JsonDocument.Parse(kept.Output).RootElement.GetProperty("genotype").GetString());
        Assert.Contains("all activations kept", File.ReadAllText(Path.Combine(_root, "kept", "log.txt")),
            StringComparison.Ordinal);
        Assert.Contains("edges recomputed", File.ReadAllText(Path.Combine(_root, "recompute", "log.txt")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_larger_than_the_search_splits_is_a_clear_error()
    {
        // 64 training images split in halves of 32: a batch of 48 leaves no step in an epoch.
        var args = Args("too-big");
        args[Array.IndexOf(args, "--batch-size") + 1] = "48";
        var result = CliRunner.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Batch size 48 is larger than the search splits", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--algorithm", "evolution", "evolution")]
    [InlineData("--loss-form", "bogus", "bogus")]
    [InlineData("--cost", "latency", "--target")]
    public void Bad_arguments_exit_1_with_a_message(string option, string value, string expected)
    {
        var result = CliRunner.Run(Args("bad", option, value));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}

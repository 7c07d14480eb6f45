using System.CommandLine;
using System.Text.Json;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;

namespace NasBench.Cli.Tests;

/// <summary><c>nasbench train</c> end to end on a slice of the embedded sample with a tiny network (C = 4, 3 cells).
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nasbench-train-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string[] Args(string name, params string[] extra) =>
    [
        "train", "--genotype", "DARTS_V2", "--sample", "--epochs", "1", "--init-channels", "4", "--layers", "3",
        "--batch-size", "32", "--train-limit", "64", "--test-limit", "32", "--output", _root, "--name", name,
        "--no-progress", .. extra,
    ];

    private static async Task<CliResult> RunAsync(string[] args, CancellationToken token)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = await NasBenchCommand.Create().Parse(args).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error }, token);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void One_tiny_epoch_writes_the_run_directory_and_reports_the_library_figures()
    {
        var result = CliRunner.Run(Args("a", "--json"));
        Assert.True(result.ExitCode == 0, result.Error);

        string run = Path.Combine(_root, "a");
        foreach (string file in (string[])["config.json", "genotype.json", "history.csv", "log.txt", "report.md",
                     "result.json", "model.state", "FINISHED", "checkpoints/latest.ckpt"])
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        }
        var json = JsonDocument.Parse(result.Output).RootElement;
        var net = new DartsNetwork(PublishedGenotypes.DartsV2, new NetworkConfig(4, 3), new Generator(42));
        Assert.Equal(net.CountParameters(), json.GetProperty("parameters").GetInt64());
        Assert.InRange(json.GetProperty("testAccuracy").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("macs").GetInt64() > 0);
        string[] history = File.ReadAllLines(Path.Combine(run, "history.csv"));
        Assert.Equal(2, history.Length);
        Assert.StartsWith("epoch,lr,", history[0], StringComparison.Ordinal);
        Assert.StartsWith("1,0.025,", history[1], StringComparison.Ordinal);
        Assert.Contains("\"seed\": 42", File.ReadAllText(Path.Combine(run, "config.json")), StringComparison.Ordinal);
        Assert.Contains("Test accuracy", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);
        Assert.Equal(PublishedGenotypes.DartsV2,
            GenotypeJson.Deserialize(File.ReadAllText(Path.Combine(run, "genotype.json"))));

        // The finished run is not overwritten; --resume reports it again.
        var again = CliRunner.Run(Args("a"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("finished run", again.Error, StringComparison.Ordinal);
        var resumed = CliRunner.Run(Args("a", "--resume"));
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("testAccuracy", resumed.Output, StringComparison.Ordinal);

        // Resuming with different settings names the setting.
        var changed = CliRunner.Run([.. Args("a", "--resume"), "--lr", "0.1"]);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("'learningRate'", changed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_checkpoints_and_exits_130_and_resume_matches_an_uninterrupted_run()
    {
        Assert.Equal(0, CliRunner.Run(Args("whole")).ExitCode);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var stopped = await RunAsync(Args("cut"), cancelled.Token);
        Assert.Equal(130, stopped.ExitCode);
        Assert.Contains("checkpoint written", stopped.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "cut", "checkpoints", "latest.ckpt")));
        Assert.False(File.Exists(Path.Combine(_root, "cut", "FINISHED")));

        var resumed = CliRunner.Run(Args("cut", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "whole", "model.state")),
            File.ReadAllBytes(Path.Combine(_root, "cut", "model.state")));
        string Row(string name) => File.ReadAllLines(Path.Combine(_root, name, "history.csv"))[1];
        // Everything but the wall-clock columns.
        Assert.Equal(string.Join(',', Row("whole").Split(',')[..7]), string.Join(',', Row("cut").Split(',')[..7]));
    }

    [Fact]
    public void Bad_genotype_file_exits_1_naming_the_file_and_the_entry()
    {
        Directory.CreateDirectory(_root);
        string file = Path.Combine(_root, "bad.json");
        string json = GenotypeJson.Serialize(PublishedGenotypes.DartsV2).Replace("dil_conv_3x3", "conv_9x9",
            StringComparison.Ordinal);
        File.WriteAllText(file, json);

        var result = CliRunner.Run(["train", "--genotype", file, "--sample", "--output", _root, "--no-progress"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Contains("normal[7]", result.Error, StringComparison.Ordinal);
        Assert.Contains("conv_9x9", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "train-BAD-c16-l8-e10-s42")));
    }

    [Fact]
    public void Resume_of_a_run_that_does_not_exist_is_an_error()
    {
        var result = CliRunner.Run(Args("missing", "--resume"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Nothing to resume", result.Error, StringComparison.Ordinal);
    }
}

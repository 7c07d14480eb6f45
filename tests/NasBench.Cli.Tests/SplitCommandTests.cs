using System.Text.Json;

namespace NasBench.Cli.Tests;

public class SplitCommandTests
{
    [Fact]
    public void Split_grows_the_network_writes_checkpoints_and_report_and_resumes()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nasbench-split-{Guid.NewGuid():N}");
        try
        {
            string[] args = ["split", "--sample", "--net", "mobilenet", "--mode", "fast", "--budget-macs", "600000",
                "--rounds", "1", "--epochs", "1", "--train-subset", "64", "--split-batches", "1",
                "--fast-iterations", "2", "--output", dir, "--no-progress", "--json", "--seed", "3"];
            var result = CliRunner.Run(args);
            Assert.True(result.ExitCode == 0, result.Error);
            using var json = JsonDocument.Parse(result.Output);
            var rounds = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, rounds.Count);
            long macs0 = rounds[0].GetProperty("macs").GetInt64(), macs1 = rounds[1].GetProperty("macs").GetInt64();
            Assert.True(macs1 > macs0 && macs1 <= 600000, $"MACs {macs0} → {macs1}, budget 600000");
            Assert.True(rounds[1].GetProperty("neurons").GetInt32() > 0);
            foreach (string file in new[] { "config.json", "history.json", "report.md", "growth.svg",
                "round-00/model.bin", "round-01/arch.json", "round-01/model.bin" })
            {
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
            }
            Assert.Contains("<polyline", File.ReadAllText(Path.Combine(dir, "growth.svg")), StringComparison.Ordinal);

            var again = CliRunner.Run(args);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("--resume", again.Error, StringComparison.Ordinal);

            var resumed = CliRunner.Run([.. args, "--resume"]);
            Assert.True(resumed.ExitCode == 0, resumed.Error);
            Assert.Equal(2, JsonDocument.Parse(resumed.Output).RootElement.GetArrayLength());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void A_seed_above_the_budget_is_an_error_naming_both()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nasbench-split-{Guid.NewGuid():N}");
        try
        {
            var result = CliRunner.Run("split", "--sample", "--net", "vgg", "--budget-macs", "1000", "--output", dir,
                "--no-progress");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("1,000", result.Error, StringComparison.Ordinal);
            Assert.Contains("MACs", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

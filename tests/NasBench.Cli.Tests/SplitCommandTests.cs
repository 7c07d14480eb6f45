using System.Text.Json;

namespace NasBench.Cli.Tests;

public class SplitCommandTests
{
    /// <summary>The 32×32 colour path end to end (issue 5 §6): a VGG grown on CIFAR-10-format files. The real
    /// CIFAR-10 is not on this machine, so the files are random records in its binary layout (label byte + 3 072
    /// pixel bytes); the test checks the plumbing (3 input channels, 32×32 maps, growth within the budget), not
    /// accuracy.</summary>
    [Fact]
    public void Split_grows_a_32x32_colour_network_from_cifar10_files()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nasbench-split-cifar-{Guid.NewGuid():N}");
        string data = Path.Combine(dir, "cifar-10-batches-bin");
        try
        {
            Directory.CreateDirectory(data);
            var rng = new Random(5);
            foreach (string file in new[] { "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                "data_batch_5", "test_batch" })
            {
                var bytes = new byte[24 * 3073];
                rng.NextBytes(bytes);
                for (int r = 0; r < 24; r++)
                {
                    bytes[r * 3073] = (byte)(r % 10);
                }
                File.WriteAllBytes(Path.Combine(data, file + ".bin"), bytes);
            }
            string output = Path.Combine(dir, "runs");
            string[] Args(int subset, string name) => ["split", "--dataset", "cifar10", "--data", data, "--net", "vgg",
                "--mode", "fast", "--budget-macs", "3000000", "--rounds", "1", "--epochs", "1", "--train-subset",
                subset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--split-batches", "1",
                "--fast-iterations", "2", "--output", Path.Combine(dir, name), "--no-progress", "--json", "--seed", "4"];
            // Fewer images than one batch used to train on nothing and die writing a NaN loss to JSON.
            var tooFew = CliRunner.Run(Args(48, "too-few"));
            Assert.NotEqual(0, tooFew.ExitCode);
            Assert.Contains("at least one training batch of 64 images", tooFew.Error, StringComparison.Ordinal);
            Assert.Contains("has 48", tooFew.Error, StringComparison.Ordinal);

            var result = CliRunner.Run(Args(64, "runs"));
            Assert.True(result.ExitCode == 0, result.Error);
            var rounds = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
            Assert.Equal(2, rounds.Count);
            long macs0 = rounds[0].GetProperty("macs").GetInt64(), macs1 = rounds[1].GetProperty("macs").GetInt64();
            Assert.True(macs1 > macs0 && macs1 <= 3000000, $"MACs {macs0} → {macs1}, budget 3000000");
            using var arch = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "round-01", "arch.json")));
            Assert.Equal(3, arch.RootElement.GetProperty("InChannels").GetInt32());
            Assert.Equal(32, arch.RootElement.GetProperty("Height").GetInt32());
            Assert.Equal(32, arch.RootElement.GetProperty("Width").GetInt32());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

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
    public void Retrain_trains_the_final_widths_from_scratch_and_reports_them_beside_the_uniform_baseline()
    {
        string root = Path.Combine(Path.GetTempPath(), $"nasbench-retrain-{Guid.NewGuid():N}");
        string grown = Path.Combine(root, "fast"), uniform = Path.Combine(root, "uniform");
        try
        {
            string[] Tiny(string mode, string dir) => ["split", "--sample", "--net", "mobilenet", "--mode", mode,
                "--budget-macs", "600000", "--rounds", "1", "--epochs", "1", "--train-subset", "64",
                "--split-batches", "1", "--fast-iterations", "2", "--output", dir, "--no-progress", "--seed", "3"];
            var baseline = CliRunner.Run(Tiny("uniform", uniform));
            Assert.True(baseline.ExitCode == 0, baseline.Error);
            var result = CliRunner.Run([.. Tiny("fast", grown), "--retrain-epochs", "2", "--compare", uniform]);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("retrained from scratch, 2 epochs", result.Output, StringComparison.Ordinal);

            using var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(grown, "history.json")));
            using var retrain = JsonDocument.Parse(File.ReadAllText(Path.Combine(grown, "retrain.json")));
            var last = history.RootElement.EnumerateArray().Last();
            Assert.Equal(2, retrain.RootElement.GetProperty("Epochs").GetInt32());
            Assert.Equal(last.GetProperty("Macs").GetInt64(), retrain.RootElement.GetProperty("Macs").GetInt64());
            Assert.Equal(last.GetProperty("Widths").EnumerateArray().Select(w => w.GetInt32()),
                retrain.RootElement.GetProperty("Widths").EnumerateArray().Select(w => w.GetInt32()));
            double accuracy = retrain.RootElement.GetProperty("TestAccuracy").GetDouble();
            Assert.InRange(accuracy, 0.0, 1.0);

            string report = File.ReadAllText(Path.Combine(grown, "report.md"));
            Assert.Contains("## Final architectures trained from scratch", report, StringComparison.Ordinal);
            Assert.Contains("| mobilenet fast (retrained) | 2 |", report, StringComparison.Ordinal);
            // The uniform baseline's last round (round 1) was trained from scratch for 1 × (1 + 1) epochs.
            Assert.Contains("| uniform (last round) | 2 |", report, StringComparison.Ordinal);

            // Resuming a finished run neither grows nor retrains again.
            var resumed = CliRunner.Run([.. Tiny("fast", grown), "--retrain-epochs", "2", "--resume"]);
            Assert.True(resumed.ExitCode == 0, resumed.Error);
            using var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(grown, "retrain.json")));
            Assert.Equal(accuracy, again.RootElement.GetProperty("TestAccuracy").GetDouble());
            Assert.Equal(retrain.RootElement.GetProperty("TrainSeconds").GetDouble(),
                again.RootElement.GetProperty("TrainSeconds").GetDouble());
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
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

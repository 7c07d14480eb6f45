using System.Text.Json;
using NasBench.Hardware;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Cli.Tests;

/// <summary><c>nasbench split --cost macs|energy|latency</c>: the energy path end to end, and the argument errors.
/// The latency path is not timed here (no real measurements in tests): its error for a table without the needed
/// entries is.</summary>
public class SplitCostCommandTests
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), $"nasbench-splitcost-{Guid.NewGuid():N}");

    private static string[] Tiny(string dir) => ["split", "--sample", "--net", "mobilenet", "--mode", "fast",
        "--budget-macs", "600000", "--rounds", "1", "--epochs", "1", "--train-subset", "64", "--split-batches", "1",
        "--fast-iterations", "2", "--output", dir, "--no-progress", "--json", "--seed", "3", "--threads", "1"];

    private static void Clean(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Energy_cost_records_energy_budget_and_cost_per_round_within_the_mac_schedule()
    {
        string dir = TempDir();
        try
        {
            string coefficients = Path.Combine(Path.GetTempPath(), $"nasbench-coef-{Guid.NewGuid():N}.json");
            File.WriteAllText(coefficients,
                """{"target": "testchip", "picojoulesPerMac": 2.0, "picojoulesPerByte": 50.0, "source": "test"}""");
            Directory.CreateDirectory(dir);
            var result = CliRunner.Run([.. Tiny(dir), "--cost", "energy", "--energy-coefficients", coefficients]);
            File.Delete(coefficients);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("energy:testchip", result.Error, StringComparison.Ordinal);
            var rounds = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
            Assert.Equal(2, rounds.Count);
            var r1 = rounds[1];
            Assert.Equal("µJ", r1.GetProperty("costUnit").GetString());
            Assert.Equal("energy:testchip", r1.GetProperty("costName").GetString());
            double e0 = rounds[0].GetProperty("cost").GetDouble(), e1 = r1.GetProperty("cost").GetDouble();
            double budget = r1.GetProperty("roundBudget").GetDouble(), added = r1.GetProperty("addedCost").GetDouble();
            Assert.True(r1.GetProperty("neurons").GetInt32() > 0);
            Assert.True(budget > 0 && added > 0 && added <= budget, $"added {added} µJ, budget {budget} µJ");
            Assert.Equal(e1 - e0, added, 9);
            // Energy column = selection cost when the selection model is energy with the run's coefficients.
            Assert.Equal(e1, r1.GetProperty("energyMicrojoules").GetDouble(), 9);
            // The budget is the MAC schedule's ratio applied to the energy: seed 333,584 MACs → 600,000 in one round.
            Assert.Equal(e0 * ((600000.0 - 333584) / 333584), budget, 6);
            long macs1 = r1.GetProperty("macs").GetInt64();
            Assert.True(macs1 <= 600000, $"MACs {macs1} above the budget 600000");
            string report = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("energy:testchip", report, StringComparison.Ordinal);
            Assert.Contains("cost (µJ)", report, StringComparison.Ordinal);
        }
        finally
        {
            Clean(dir);
        }
    }

    [Fact]
    public void Without_the_mac_cap_the_energy_budget_alone_limits_the_round()
    {
        string dir = TempDir();
        try
        {
            var result = CliRunner.Run([.. Tiny(dir), "--cost", "energy", "--no-mac-cap"]);
            Assert.True(result.ExitCode == 0, result.Error);
            var r1 = JsonDocument.Parse(result.Output).RootElement[1];
            double budget = r1.GetProperty("roundBudget").GetDouble(), added = r1.GetProperty("addedCost").GetDouble();
            Assert.True(added <= budget && added > 0.9 * budget, $"added {added} µJ of a {budget} µJ budget");
            // Energy grows more slowly than MACs for the neurons chosen here, so the MACs pass the schedule (600,000
            // in this one-round run), which the default cap prevents (previous test).
            Assert.True(r1.GetProperty("macs").GetInt64() > 600000, $"MACs {r1.GetProperty("macs").GetInt64()}");
            Assert.Contains("Selection cost model: energy:cpu", File.ReadAllText(Path.Combine(dir, "report.md")),
                StringComparison.Ordinal);
        }
        finally
        {
            Clean(dir);
        }
    }

    [Theory]
    [InlineData(new[] { "--cost", "latency" }, "--target")]
    [InlineData(new[] { "--cost", "macs", "--target", "cpu" }, "--cost latency only")]
    [InlineData(new[] { "--cost", "latency", "--target", "tpu-9000" }, "tpu-9000")]
    [InlineData(new[] { "--cost", "energy", "--energy-coefficients", "/nonexistent/c.json" }, "/nonexistent/c.json")]
    [InlineData(new[] { "--cost", "macs", "--energy-coefficients", "x.json" }, "--cost energy only")]
    [InlineData(new[] { "--cost", "energy", "--latency-table", "t.json" }, "--cost latency only")]
    [InlineData(new[] { "--cost", "latency", "--target", "cpu-1t", "--clock", "sundial" }, "sundial")]
    public void Cost_option_errors_name_the_option(string[] extra, string expected)
    {
        string dir = TempDir();
        try
        {
            var result = CliRunner.Run([.. Tiny(dir), .. extra]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "history.json")));
        }
        finally
        {
            Clean(dir);
        }
    }

    [Fact]
    public void Unknown_cost_model_is_refused_by_the_parser()
    {
        var result = CliRunner.Run([.. Tiny(TempDir()), "--cost", "carbon"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("carbon", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_from_an_imported_table_without_the_needed_entry_names_the_key()
    {
        string dir = TempDir();
        string table = Path.Combine(Path.GetTempPath(), $"nasbench-phone-{Guid.NewGuid():N}.json");
        try
        {
            // Only the stem convolution of the seed network: the next operation's lookup must fail with its key.
            var stem = new OperationConfig("conv3x3", 1, 4, 28, 28, 1, 3, 1, 1);
            LatencyTableIo.Write(new LatencyTable(new TargetFingerprint("phone", "soc", 4, 128, "tflite", "android"),
                "growable", [new LatencyEntry(stem, 0.5)]), table);
            var result = CliRunner.Run([.. Tiny(dir), "--cost", "latency", "--target", table]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no entry", result.Error, StringComparison.Ordinal);
            Assert.Contains("dwconv3x3/c4-4/28x28", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Clean(dir);
            File.Delete(table);
        }
    }

    [Fact]
    public void Help_lists_the_cost_options()
    {
        var result = CliRunner.Run("split", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string option in new[] { "--cost", "--target", "--energy-coefficients", "--latency-table", "--clock",
            "--no-mac-cap" })
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
    }
}

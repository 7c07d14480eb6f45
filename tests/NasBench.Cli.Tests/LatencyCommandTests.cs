using System.Text.Json;
using NasBench.Hardware;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;

namespace NasBench.Cli.Tests;

/// <summary><c>nasbench latency</c> end to end on small tables and a tiny network.</summary>
public sealed class LatencyCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"nasbench-latency-cli-{Guid.NewGuid():N}");

    public LatencyCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TargetFingerprint Phone = new("phone", "Test SoC", 4, 128, "tflite", "Android");

    /// <summary>A full table for C = 4, 5 cells, 8×8, batch 1, with latency = f(key) so entries differ.</summary>
    private string WriteTable(string name, double scale, Func<OperationConfig, bool>? keep = null)
    {
        var layout = new DartsNetworkLayout(new NetworkConfig(4, 5, InputHeight: 8, InputWidth: 8), 1);
        var entries = layout.SpaceOperations().Where(o => keep?.Invoke(o) ?? true)
            .Select(o => new LatencyEntry(o, scale * (0.01 + (o.Key.Length * 1e-3) + (o.InChannels * 1e-3))));
        string path = Path.Combine(_dir, name);
        LatencyTableJson.Write(new LatencyTable(Phone with { Target = name }, "darts", entries), path);
        return path;
    }

    private static readonly string[] Shape = ["--init-channels", "4", "--layers", "5", "--input", "1x8x8"];

    [Fact]
    public void Compare_reports_the_geometric_mean_ratio()
    {
        string a = WriteTable("a.json", 1), b = WriteTable("b.json", 2);
        var result = CliRunner.Run("latency", "compare", a, b, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2.0, json.RootElement.GetProperty("geometricMeanRatio").GetDouble(), 9);
        Assert.Equal(0, CliRunner.Run("latency", "compare", a, b).ExitCode);
    }

    [Fact]
    public void Predict_is_the_lookup_sum_of_the_genotypes_operations()
    {
        string path = WriteTable("t.json", 1);
        var result = CliRunner.Run(["latency", "predict", "--table", path, "--genotype", "DARTS_V2", "--json", .. Shape]);
        Assert.Equal(0, result.ExitCode);
        var layout = new DartsNetworkLayout(new NetworkConfig(4, 5, InputHeight: 8, InputWidth: 8), 1);
        double expected = new DartsLatencyModel(LatencyTableIo.Read(path), layout).EstimateMs(PublishedGenotypes.DartsV2);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(expected, json.RootElement.GetProperty("lookupMs").GetDouble(), 9);
    }

    [Fact]
    public void Predict_with_a_saved_predictor_prints_its_estimate_and_refuses_one_of_another_target()
    {
        string tablePath = WriteTable("t.json", 1);
        var table = LatencyTableIo.Read(tablePath);
        var layout = new DartsNetworkLayout(new NetworkConfig(4, 5, InputHeight: 8, InputWidth: 8), 1);
        var model = new DartsLatencyModel(table, layout);
        var genotypes = RandomGenotypeSampler.Sample(40, 3);
        var x = genotypes.Select(g => DartsLatencyFeatures.Build(DartsLatencyFeatures.CountsAndLookup, g, model))
            .ToArray();
        var lookup = genotypes.Select(model.EstimateMs).ToArray();
        var y = lookup.Select((l, i) => (l * 1.3) + (0.001 * (i % 3))).ToArray();
        var predictor = LatencyPredictor.Train(x, y, lookup, new LatencyPredictorOptions(Hidden: 8, Epochs: 30))
            .WithMetadata(new Dictionary<string, string>
            {
                ["features"] = DartsLatencyFeatures.CountsAndLookup,
                ["fingerprint"] = table.Fingerprint.Key,
                ["target"] = table.Fingerprint.Target,
            });
        string predictorPath = Path.Combine(_dir, "p.json");
        LatencyPredictorJson.Write(predictor, predictorPath);
        var result = CliRunner.Run(["latency", "predict", "--table", tablePath, "--genotype", "DARTS_V2", "--predictor",
            predictorPath, "--json", .. Shape]);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var v2 = PublishedGenotypes.DartsV2;
        double expected = predictor.Predict([DartsLatencyFeatures.Build(DartsLatencyFeatures.CountsAndLookup, v2, model)],
            [model.EstimateMs(v2)])[0];
        Assert.Equal(expected, json.RootElement.GetProperty("predictorMs").GetDouble(), 9);
        Assert.Equal(0, CliRunner.Run(["latency", "predict", "--table", tablePath, "--genotype", "DARTS_V2",
            "--predictor", predictorPath, .. Shape]).ExitCode);

        string other = WriteTable("other.json", 2);
        result = CliRunner.Run(["latency", "predict", "--table", other, "--genotype", "DARTS_V2", "--predictor",
            predictorPath, .. Shape]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(predictorPath, result.Error, StringComparison.Ordinal);
        Assert.Contains("trained for target 't.json'", result.Error, StringComparison.Ordinal);

        File.WriteAllText(predictorPath, "{\"schema\": \"nasbench.latency-predictor\", \"schemaVersion\": 1}");
        result = CliRunner.Run(["latency", "predict", "--table", tablePath, "--genotype", "DARTS_V2", "--predictor",
            predictorPath, .. Shape]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{predictorPath}: usesBaseline: expected true or false, found missing", result.Error,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rounds", "0", "--rounds 0: expected at least 1.")]
    [InlineData("--remeasure", "9", "--remeasure 9: expected 0 to --count (8).")]
    [InlineData("--calibrate", "1", "--calibrate 1: expected 2 to half of --count (4).")]
    [InlineData("--interleave", "1", "--interleave 1: expected 0 (off) or at least 2 sweeps")]
    [InlineData("--rounds", "3", "--rounds and --remeasure need --interleave 0")]
    public void Study_options_out_of_range_are_refused_before_measuring(string option, string value, string message)
    {
        var result = CliRunner.Run(["latency", "study", "--count", "8", "--targets", "cpu-1t", option, value,
            "--output", Path.Combine(_dir, "study"), .. Shape]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "study", "measurements.csv")));
    }

    [Fact]
    public void An_interleaved_study_writes_its_table_and_the_split_half_ceiling_and_resumes()
    {
        string directory = Path.Combine(_dir, "interleaved");
        string[] args = ["latency", "study", "--count", "8", "--targets", "cpu-1t", "--interleave", "4", "--epochs",
            "5", "--output", directory, "--no-progress", .. Shape];
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("protocol: interleaved, 4 sweeps", result.Output, StringComparison.Ordinal);
        Assert.Contains("| cpu-1t | re-measurement, odd sweeps against even sweeps (ceiling) | 8 |", result.Output,
            StringComparison.Ordinal);
        string table = Path.Combine(directory, "table-cpu-1t-wall-interleaved.json");
        Assert.True(File.Exists(table));
        var lines = File.ReadAllLines(Path.Combine(directory, "measurements.csv"));
        Assert.Equal(2 + (8 * 3), lines.Length);
        Assert.Contains(lines, l => l.StartsWith("7,cpu-1t/wall/interleaved-odd,", StringComparison.Ordinal));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "study.json")))!;
        Assert.Equal(8, (int)json["targets"]![0]!["splitHalf"]!["count"]!);

        // A rerun finds the table and the checkpoint and measures nothing again.
        var written = File.GetLastWriteTimeUtc(Path.Combine(directory, "measurements.csv"));
        result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(directory, "measurements.csv")));
        Assert.Equal(2 + (8 * 3), File.ReadAllLines(Path.Combine(directory, "measurements.csv")).Length);
    }

    [Fact]
    public void A_table_missing_an_entry_fails_naming_the_file_and_the_entry()
    {
        string path = WriteTable("partial.json", 1, o => o.Operation != "sep_conv_3x3");
        var result = CliRunner.Run(["latency", "predict", "--table", path, "--genotype", "DARTS_V2", .. Shape]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Contains("missing entry 'sep_conv_3x3/", result.Error, StringComparison.Ordinal);
        var wrongVersion = Path.Combine(_dir, "v9.json");
        File.WriteAllText(wrongVersion, File.ReadAllText(path).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 9",
            StringComparison.Ordinal));
        result = CliRunner.Run("latency", "compare", path, wrongVersion);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("v9.json: schemaVersion is 9", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_interleaved_measures_every_operation_and_completes_a_partial_table()
    {
        string output = Path.Combine(_dir, "interleaved.json");
        string[] profile = ["latency", "profile", "--target", "cpu-1t", "--interleave", "3", "--output", output,
            "--json", "--init-channels", "2", "--layers", "3", "--input", "1x4x4"];
        Environment.SetEnvironmentVariable("NASBENCH_CACHE", Path.Combine(_dir, "cache"));
        try
        {
            var result = CliRunner.Run(profile);
            Assert.True(result.ExitCode == 0, result.Error);
            var table = LatencyTableIo.Read(output);
            var layout = new DartsNetworkLayout(new NetworkConfig(2, 3, InputHeight: 4, InputWidth: 4), 1);
            Assert.Equal(layout.SpaceOperations().Count, table.Entries.Count);
            Assert.All(table.Entries, e => Assert.Equal(3, e.Samples));

            // Drop two entries: a resume measures just those two and keeps the others as they were.
            var kept = table.Entries.Skip(2).ToArray();
            LatencyTableJson.Write(new LatencyTable(table.Fingerprint, "darts", kept), output);
            result = CliRunner.Run([.. profile, "--resume"]);
            Assert.True(result.ExitCode == 0, result.Error);
            using (var json = JsonDocument.Parse(result.Output))
            {
                Assert.Equal(2, json.RootElement.GetProperty("measured").GetInt32());
            }
            var completed = LatencyTableIo.Read(output);
            completed.EnsureCovers(layout.SpaceOperations());
            Assert.All(kept, e => Assert.Equal(e.MedianMs, completed.LatencyMs(e.Operation)));
            result = CliRunner.Run(["latency", "profile", "--target", "cpu-1t", "--interleave", "1", "--output", output,
                "--init-channels", "2", "--layers", "3", "--input", "1x4x4"]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("--interleave 1: expected 0 (off) or at least 2 sweeps", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NASBENCH_CACHE", null);
        }
    }

    [Fact]
    public void Profile_measures_every_operation_resumes_and_lists_the_cached_table()
    {
        string output = Path.Combine(_dir, "cpu1t.json");
        string cache = Path.Combine(_dir, "cache");
        string[] profile = ["latency", "profile", "--target", "cpu-1t", "--quick", "--output", output, "--json",
            "--init-channels", "2", "--layers", "3", "--input", "1x4x4"];
        Environment.SetEnvironmentVariable("NASBENCH_CACHE", cache);
        try
        {
            var result = CliRunner.Run(profile);
            Assert.Equal(0, result.ExitCode);
            var table = LatencyTableIo.Read(output);
            var layout = new DartsNetworkLayout(new NetworkConfig(2, 3, InputHeight: 4, InputWidth: 4), 1);
            table.EnsureCovers(layout.SpaceOperations());
            table.EnsureFingerprint(CpuTarget.SingleThread().Fingerprint);
            Assert.Equal(layout.SpaceOperations().Count, table.Entries.Count);

            var resumed = CliRunner.Run([.. profile, "--resume"]);
            using (var json = JsonDocument.Parse(resumed.Output))
            {
                Assert.Equal(0, json.RootElement.GetProperty("measured").GetInt32());
            }
            var list = CliRunner.Run("latency", "list", "--json");
            Assert.Equal(0, list.ExitCode);
            Assert.Contains(table.Fingerprint.Key, list.Output, StringComparison.Ordinal);
            Assert.Contains("cpu-1t", list.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NASBENCH_CACHE", null);
        }
    }
}

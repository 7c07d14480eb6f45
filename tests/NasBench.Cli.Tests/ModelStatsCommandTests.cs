using System.Text.Json;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;
using NasBench.Tensors.Profiling;

namespace NasBench.Cli.Tests;

public class ModelStatsCommandTests
{
    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Genotype_stats_equal_the_library_figures(bool auxiliary)
    {
        string[] args = ["model", "stats", "--genotype", "DARTS_V2", "--init-channels", "8", "--layers", "5",
            "--classes", "7", "--input", "1x28x28", "--json"];
        var json = Json(CliRunner.Run(auxiliary ? [.. args, "--auxiliary"] : args));

        var net = new DartsNetwork(PublishedGenotypes.DartsV2,
            new NetworkConfig(8, 5, 7, 1, 28, 28, Auxiliary: auxiliary), new Generator(1));
        var stats = ModelStatistics.Measure(net, [1, 28, 28]);
        Assert.Equal(net.CountParameters(includeAuxiliary: auxiliary), json.GetProperty("parameters").GetInt64());
        Assert.Equal(stats.MacsPerSample, json.GetProperty("macs").GetInt64());
        Assert.Equal([1, 28, 28], json.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        if (auxiliary)
        {
            Assert.Equal(net.CountParameters(true) - net.CountParameters(),
                json.GetProperty("auxiliaryParameters").GetInt64());
            Assert.True(json.GetProperty("auxiliaryMacs").GetInt64() > 0);
        }
        else
        {
            Assert.False(json.TryGetProperty("auxiliaryParameters", out _));
        }
    }

    [Fact]
    public void Supernet_stats_count_weights_and_report_alpha_separately()
    {
        var json = Json(CliRunner.Run("model", "stats", "--supernet", "darts", "--init-channels", "4", "--layers", "3",
            "--input", "3x16x16", "--json"));
        var net = new DartsSupernet(new SupernetConfig(4, 3, 10, 3, 16, 16), new Generator(1));
        Assert.Equal(net.WeightParameters().Sum(p => (long)p.Numel), json.GetProperty("parameters").GetInt64());
        Assert.Equal(2 * 14 * 8, json.GetProperty("architectureParameters").GetInt64());
        Assert.Equal(ModelStatistics.Measure(net, [3, 16, 16]).MacsPerSample, json.GetProperty("macs").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "model", "stats" }, "exactly one of --genotype")]
    [InlineData(new[] { "model", "stats", "--genotype", "DARTS_V2", "--supernet", "darts" }, "exactly one")]
    [InlineData(new[] { "model", "stats", "--genotype", "DARTS_V2", "--input", "1x28" }, "got '1x28'")]
    [InlineData(new[] { "model", "stats", "--supernet", "enas" }, "unknown supernet 'enas'")]
    [InlineData(new[] { "model", "stats", "--genotype", "NOPE_V9" }, "'NOPE_V9' is neither")]
    [InlineData(new[] { "model", "stats", "--genotype", "DARTS_V2", "--init-channels", "5" }, "even InitChannels")]
    public void Bad_arguments_exit_1_with_a_message(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_output_lists_parameters_and_macs()
    {
        var result = CliRunner.Run("model", "stats", "--genotype", "DARTS_V1", "--layers", "3", "--init-channels", "4");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("parameters", result.Output, StringComparison.Ordinal);
        Assert.Contains("macs", result.Output, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using NasBench.Benchmarks.Comparison;

namespace NasBench.Benchmarks.Tests;

public sealed class CompareCommandTests : IDisposable
{
    private static readonly double[] Steady = [50, 50.5, 49.5, 50.2, 49.8, 50.1, 49.9, 50.3, 49.7, 50];

    private readonly ReportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = CompareCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_regression_exits_2_with_a_slower_table_and_comparison_json()
    {
        string baseline = _files.Write("base/run-report-full.json",
            ("Kernels.Sgemm(N: 64)", Steady), ("Kernels.Relu(N: 64)", Steady), ("Kernels.Pool(N: 8)", Steady));
        string diff = _files.Write("diff/run-report-full.json",
            ("Kernels.Sgemm(N: 64)", Steady.Select(v => v * 1.5).ToArray()),
            ("Kernels.Relu(N: 64)", Steady.Select(v => v * 0.5).ToArray()),
            ("Kernels.Pool(N: 8)", Steady));
        string outputDir = Path.Combine(_files.Folder, "out");

        var (exitCode, output, _) = Run(baseline, diff, "--output", outputDir);

        Assert.Equal(CompareCommand.Regression, exitCode);
        string slower = output[output.IndexOf("## Slower", StringComparison.Ordinal)..output.IndexOf("## Faster",
            StringComparison.Ordinal)];
        Assert.Contains("| Kernels.Sgemm(N: 64) | 1.50 | 50.000 | 75.000 |", slower, StringComparison.Ordinal);
        string faster = output[output.IndexOf("## Faster", StringComparison.Ordinal)..];
        Assert.Contains("| Kernels.Relu(N: 64) | 2.00 | 50.000 | 25.000 |", faster, StringComparison.Ordinal);
        Assert.DoesNotContain("Pool", slower + faster, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDir, "comparison.json")));
        var benchmarks = json.RootElement.GetProperty("benchmarks");
        Assert.Equal(3, benchmarks.GetArrayLength());
        Assert.Equal("Slower", benchmarks[0].GetProperty("verdict").GetString());
        Assert.Equal(1.5, benchmarks[0].GetProperty("ratio").GetDouble(), 1e-12);
        Assert.Equal("Faster", benchmarks[1].GetProperty("verdict").GetString());
        Assert.Equal("Same", benchmarks[2].GetProperty("verdict").GetString());
        Assert.Equal(0.05, json.RootElement.GetProperty("settings").GetProperty("threshold").GetDouble());
        Assert.True(File.Exists(Path.Combine(outputDir, "comparison.md")));
    }

    [Fact]
    public void No_regression_exits_0_and_a_larger_threshold_forgives_one()
    {
        string baseline = _files.Write("base-report-full.json", ("A.X", Steady));
        string diff = _files.Write("diff-report-full.json", ("A.X", Steady.Select(v => v * 1.08).ToArray()));
        string outputDir = Path.Combine(_files.Folder, "out");
        Assert.Equal(CompareCommand.Regression, Run(baseline, diff, "--output", outputDir).ExitCode);
        var (exitCode, output, _) = Run(baseline, diff, "--threshold", "10%", "--output", outputDir);
        Assert.Equal(CompareCommand.NoRegression, exitCode);
        Assert.Contains("0 slower, 0 faster, 1 same", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_input_exits_1_naming_the_file()
    {
        string baseline = _files.Write("base-report-full.json", ("A.X", Steady));
        string bad = _files.WriteRaw("bad-report-full.json", "{\"Benchmarks\": 3}");
        var (exitCode, _, error) = Run(baseline, bad, "--output", _files.Folder);
        Assert.Equal(CompareCommand.Error, exitCode);
        Assert.Contains(bad, error, StringComparison.Ordinal);
        Assert.Contains("\"Benchmarks\" array", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("only-one")]
    [InlineData("a", "b", "--bogus")]
    [InlineData("a", "b", "--threshold")]
    [InlineData("a", "b", "--threshold", "5")]
    public void Bad_arguments_exit_1_with_usage(params string[] args)
    {
        var (exitCode, _, error) = Run(args);
        Assert.Equal(CompareCommand.Error, exitCode);
        Assert.StartsWith("compare: ", error, StringComparison.Ordinal);
    }
}

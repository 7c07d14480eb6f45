using NasBench.Benchmarks.Comparison;

namespace NasBench.Benchmarks.Tests;

public sealed class ReportReaderTests : IDisposable
{
    private readonly ReportFiles _files = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Reads_only_workload_result_measurements_per_operation()
    {
        string file = _files.Write("a-report-full.json", ("A.Run(N: 1)", [2.0, 3.0, 4.0]));
        var sample = Assert.Single(ReportReader.Read(file, _warnings));
        Assert.Equal("A.Run(N: 1)", sample.FullName);
        Assert.Equal([2.0, 3.0, 4.0], sample.NanosecondsPerOperation);
        Assert.Equal(3.0, sample.Median);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void A_folder_is_searched_recursively_for_full_reports_only()
    {
        _files.Write("results/a-report-full.json", ("A.X", [1.0]));
        _files.Write("results/nested/b-report-full.json", ("B.Y", [2.0]));
        _files.WriteRaw("results/c-report-brief.json", "not even json");
        var samples = ReportReader.Read(Path.Combine(_files.Folder, "results"), _warnings);
        Assert.Equal(["A.X", "B.Y"], samples.Select(s => s.FullName));
    }

    [Fact]
    public void A_benchmark_without_results_is_skipped_with_a_warning()
    {
        string file = _files.Write("a-report-full.json", ("A.Failed", []), ("A.Ok", [1.0]));
        var samples = ReportReader.Read(file, _warnings);
        Assert.Equal(["A.Ok"], samples.Select(s => s.FullName));
        Assert.Contains(_warnings, w => w.Contains("A.Failed", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_names_keep_the_first_and_warn()
    {
        _files.Write("r/a-report-full.json", ("A.X", [1.0]));
        _files.Write("r/b-report-full.json", ("A.X", [9.0]));
        var sample = Assert.Single(ReportReader.Read(Path.Combine(_files.Folder, "r"), _warnings));
        Assert.Equal([1.0], sample.NanosecondsPerOperation);
        Assert.Single(_warnings);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "\"Benchmarks\" array")]
    [InlineData("{\"Title\":\"x\"}", "\"Benchmarks\" array")]
    [InlineData("{\"Benchmarks\":[{\"Measurements\":[]}]}", "\"FullName\"")]
    [InlineData("{\"Benchmarks\":[{\"FullName\":\"A.X\"}]}", "\"Measurements\" array")]
    [InlineData("{\"Benchmarks\":[{\"FullName\":\"A.X\",\"Measurements\":[{\"IterationStage\":\"Result\"}]}]}",
        "\"IterationMode\"")]
    [InlineData("{\"Benchmarks\":[{\"FullName\":\"A.X\",\"Measurements\":[{\"IterationMode\":\"Workload\"," +
                "\"IterationStage\":\"Result\",\"Operations\":4}]}]}", "\"Nanoseconds\"")]
    [InlineData("{\"Benchmarks\":[{\"FullName\":\"A.X\",\"Measurements\":[{\"IterationMode\":\"Workload\"," +
                "\"IterationStage\":\"Result\",\"Operations\":0,\"Nanoseconds\":5}]}]}", "\"Operations\" > 0")]
    public void Malformed_reports_name_the_file_and_what_was_expected(string content, string expected)
    {
        string file = _files.WriteRaw("bad-report-full.json", content);
        var error = Assert.Throws<ComparisonException>(() => ReportReader.Read(file, _warnings));
        Assert.StartsWith(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_paths_and_empty_folders_are_errors()
    {
        string missing = Path.Combine(_files.Folder, "nope.json");
        Assert.Contains("no such file", Assert.Throws<ComparisonException>(() => ReportReader.Read(missing, _warnings))
            .Message, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_files.Folder, "empty"));
        Assert.Contains(
            "no *-report-full.json",
            Assert.Throws<ComparisonException>(() => ReportReader.Read(Path.Combine(_files.Folder, "empty"), _warnings))
                .Message,
            StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using NasBench.Search.Darts;
using NasBench.Search.Experiments;

namespace NasBench.Search.Tests.Experiments;

public class RunDirectoryTests
{
    private static JsonObject Settings(int epochs = 3) => new() { ["seed"] = 7, ["epochs"] = epochs, ["genotype"] = "DARTS_V2" };

    [Fact]
    public void New_run_writes_config_with_every_setting_and_the_standard_layout()
    {
        using var scratch = new ScratchDirectory();
        var run = RunDirectory.Open(scratch.Path, "a", "train", Settings(), resume: false);
        run.WriteGenotype(PublishedGenotypes.DartsV2);
        var history = run.History(["epoch", "loss"]);
        history.Append(["1", HistoryCsv.Format(0.5)]);
        run.WriteText("report.md", "# report\n");

        var config = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        Assert.Equal("nasbench-run", config["format"]!.GetValue<string>());
        Assert.Equal("train", config["kind"]!.GetValue<string>());
        Assert.Equal(7, config["settings"]!["seed"]!.GetValue<int>());
        Assert.Equal(3, config["settings"]!["epochs"]!.GetValue<int>());
        Assert.True(Directory.Exists(run.CheckpointsPath));
        Assert.Contains("created run 'a'", File.ReadAllText(run.LogPath), StringComparison.Ordinal);
        Assert.Equal(PublishedGenotypes.DartsV2, GenotypeJson.Deserialize(File.ReadAllText(run.GenotypePath)));
        Assert.Equal(["epoch,loss", "1,0.5"], File.ReadAllLines(run.HistoryPath));
        Assert.True(File.Exists(run.ReportPath));
    }

    [Fact]
    public void Existing_run_is_refused_without_resume_and_finished_is_said()
    {
        using var scratch = new ScratchDirectory();
        var run = RunDirectory.Open(scratch.Path, "a", "train", Settings(), resume: false);
        var e = Assert.Throws<RunDirectoryException>(() => RunDirectory.Open(scratch.Path, "a", "train", Settings(), false));
        Assert.Contains("unfinished", e.Message, StringComparison.Ordinal);
        Assert.Contains("--resume", e.Message, StringComparison.Ordinal);

        run.MarkFinished();
        e = Assert.Throws<RunDirectoryException>(() => RunDirectory.Open(scratch.Path, "a", "train", Settings(), false));
        Assert.Contains("finished run", e.Message, StringComparison.Ordinal);
        var reopened = RunDirectory.Open(scratch.Path, "a", "train", Settings(), resume: true);
        Assert.True(reopened.IsFinished);
        Assert.True(reopened.IsResumed);
        Assert.Equal(run.Fingerprint, reopened.Fingerprint);
    }

    [Fact]
    public void Resume_with_a_changed_setting_names_it_with_both_values()
    {
        using var scratch = new ScratchDirectory();
        RunDirectory.Open(scratch.Path, "a", "train", Settings(3), resume: false);
        var e = Assert.Throws<RunDirectoryException>(
            () => RunDirectory.Open(scratch.Path, "a", "train", Settings(5), resume: true));
        Assert.Contains("'epochs'", e.Message, StringComparison.Ordinal);
        Assert.Contains("started with 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("asks for 5", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<RunDirectoryException>(
            () => RunDirectory.Open(scratch.Path, "a", "search", Settings(3), resume: true));
        Assert.Contains("'kind'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_of_nothing_corrupt_or_foreign_config_is_a_clear_error()
    {
        using var scratch = new ScratchDirectory();
        var e = Assert.Throws<RunDirectoryException>(
            () => RunDirectory.Open(scratch.Path, "none", "train", Settings(), resume: true));
        Assert.Contains("Nothing to resume", e.Message, StringComparison.Ordinal);

        var run = RunDirectory.Open(scratch.Path, "a", "train", Settings(), resume: false);
        File.WriteAllText(run.ConfigPath, "{\"settings\": ");
        e = Assert.Throws<RunDirectoryException>(() => RunDirectory.Open(scratch.Path, "a", "train", Settings(), true));
        Assert.Contains("config.json: corrupt", e.Message, StringComparison.Ordinal);

        File.WriteAllText(run.ConfigPath, "{\"format\": \"something-else\", \"settings\": {}}");
        e = Assert.Throws<RunDirectoryException>(() => RunDirectory.Open(scratch.Path, "a", "train", Settings(), true));
        Assert.Contains("not a NasBench run configuration", e.Message, StringComparison.Ordinal);
        Assert.Contains("something-else", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void Run_names_must_be_one_directory(string name)
    {
        using var scratch = new ScratchDirectory();
        Assert.Throws<RunDirectoryException>(() => RunDirectory.Open(scratch.Path, name, "train", Settings(), false));
    }

    [Fact]
    public void History_checks_its_header_quotes_values_and_truncates_to_the_checkpoint()
    {
        using var scratch = new ScratchDirectory();
        string path = scratch.File("history.csv");
        var history = new HistoryCsv(path, ["epoch", "note"]);
        history.Append(["1", "a,b"]);
        history.Append(["2", "say \"hi\""]);
        history.Append(["3", "x"]);
        Assert.Equal([["1", "a,b"], ["2", "say \"hi\""], ["3", "x"]], history.ReadRows());

        history.Truncate(2);
        Assert.Equal(2, new HistoryCsv(path, ["epoch", "note"]).ReadRows().Count);
        Assert.Throws<RunDirectoryException>(() => history.Truncate(5));
        var e = Assert.Throws<RunDirectoryException>(() => new HistoryCsv(path, ["epoch", "loss"]));
        Assert.Contains("expected 'epoch,loss', found 'epoch,note'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => history.Append(["4"]));
    }
}

namespace NasBench.Cli.Tests;

public class ParsingTests
{
    [Fact]
    public void Unknown_option_exits_1_with_a_message_on_stderr()
    {
        var result = CliRunner.Run("info", "--bogus");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--bogus", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_verb_exits_1()
    {
        var result = CliRunner.Run("frobnicate");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void Threads_below_one_are_rejected(string threads)
    {
        var result = CliRunner.Run("info", "--threads", threads);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--threads must be at least 1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_verbs_with_their_descriptions_and_the_shared_options()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^\s+info\s+Show the machine", result.Output);
        Assert.Matches(@"(?m)^\s+bench\b.*Run the benchmarks", result.Output);
        foreach (string option in new[] { "--json", "--no-progress", "--seed", "--threads" })
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
        Assert.Contains("130", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_help_lists_compare()
    {
        var result = CliRunner.Run("bench", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^\s+compare <base> <diff>\s+Compare two benchmark runs", result.Output);
    }
}

using System.CommandLine;

namespace NasBench.Cli.Tests;

public class BenchArgumentsTests
{
    private static IReadOnlyList<string> Forwarded(params string[] args)
    {
        var root = NasBenchCommand.Create();
        var bench = root.Subcommands.Single(c => c.Name == "bench");
        var parseResult = root.Parse(args);
        Assert.Empty(parseResult.Errors);
        return Commands.BenchCommand.ForwardedArguments(parseResult, bench);
    }

    [Fact]
    public void BenchmarkDotNet_options_pass_through_in_order()
    {
        Assert.Equal(
            ["--filter", "*Sgemm*", "--job", "short", "-e", "json"],
            Forwarded("bench", "--filter", "*Sgemm*", "--job", "short", "-e", "json"));
    }

    [Fact]
    public void Options_after_double_dash_pass_through_without_the_separator()
    {
        Assert.Equal(["--list", "flat"], Forwarded("bench", "--", "--list", "flat"));
    }

    [Fact]
    public void Global_options_before_the_verb_are_not_forwarded()
    {
        Assert.Equal(["--job", "Dry"], Forwarded("--threads", "1", "bench", "--job", "Dry"));
    }

    [Fact]
    public void Bench_with_no_arguments_forwards_nothing()
    {
        Assert.Empty(Forwarded("bench"));
    }
}

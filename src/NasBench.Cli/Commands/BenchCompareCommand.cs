using System.CommandLine;
using NasBench.Cli.Benchmarks;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench bench compare &lt;base&gt; &lt;diff&gt;</c>: the benchmark comparer, run through the benchmarks
/// project (which owns it) so there is one implementation.</summary>
internal static class BenchCompareCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var baseline = new Argument<string>("base")
        {
            Description = "Baseline: a BenchmarkDotNet *-report-full.json file or a folder of them.",
        };
        var diff = new Argument<string>("diff")
        {
            Description = "Candidate: a *-report-full.json file or a folder of them.",
        };
        var threshold = new Option<string>("--threshold")
        {
            Description = "Smallest relative change reported as slower/faster, e.g. 5%.",
            DefaultValueFactory = _ => "5%",
        };
        var noise = new Option<string>("--noise")
        {
            Description = "Absolute noise floor: median differences below it are never a change, e.g. 0.3ns.",
            DefaultValueFactory = _ => "0.3ns",
        };
        var alpha = new Option<string>("--alpha")
        {
            Description = "Significance level of the two-sided Mann-Whitney U test.",
            DefaultValueFactory = _ => "0.05",
        };
        var output = new Option<string?>("--output")
        {
            Description = "Folder for comparison.json and comparison.md (default: the current directory).",
        };
        var command = new Command(
            "compare",
            "Compare two benchmark runs: Mann-Whitney U test per benchmark plus threshold and noise floor; prints " +
            "Markdown tables of slower and faster benchmarks and writes comparison.json. Exit code 2 when a " +
            "significant regression beyond the threshold is found.")
        {
            baseline,
            diff,
            threshold,
            noise,
            alpha,
            output,
        };
        CommandActions.Set(command, globals, async (session, parseResult, cancellationToken) =>
        {
            var forwarded = new List<string>
            {
                "compare",
                Path.GetFullPath(parseResult.GetRequiredValue(baseline)),
                Path.GetFullPath(parseResult.GetRequiredValue(diff)),
                "--threshold",
                parseResult.GetRequiredValue(threshold),
                "--noise",
                parseResult.GetRequiredValue(noise),
                "--alpha",
                parseResult.GetRequiredValue(alpha),
                "--output",
                Path.GetFullPath(parseResult.GetValue(output) ?? Environment.CurrentDirectory),
            };
            string root = RepositoryLocator.FindOrThrow();
            var info = BenchmarkLauncher.StartInfo(root, forwarded);
            return await BenchmarkLauncher.RunAsync(info, session.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}

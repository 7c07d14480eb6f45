using System.CommandLine;
using System.CommandLine.Parsing;
using NasBench.Cli.Benchmarks;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench bench [args...]</c>: runs the BenchmarkDotNet suites with BenchmarkDotNet's own command line,
/// and <c>nasbench bench compare</c>.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var arguments = new Argument<string[]>("benchmark-arguments")
        {
            Description = "Passed unchanged to BenchmarkDotNet, e.g. --filter '*Sgemm*' --job short, --job Dry, " +
                          "--list flat.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(
            "bench",
            "Run the benchmarks (dotnet run -c Release --project benchmarks/NasBench.Benchmarks -- <arguments>) " +
            "from the NasBench checkout that contains the current directory or this executable. Exits with the " +
            "benchmark run's exit code.")
        {
            arguments,
        };
        // BenchmarkDotNet options (--filter, --job, -e, ...) are not ours: let them through instead of rejecting them.
        command.TreatUnmatchedTokensAsErrors = false;
        command.Subcommands.Add(BenchCompareCommand.Create(globals));
        CommandActions.Set(command, globals, async (session, parseResult, cancellationToken) =>
        {
            string root = RepositoryLocator.FindOrThrow();
            var info = BenchmarkLauncher.StartInfo(root, ForwardedArguments(parseResult, command));
            return await BenchmarkLauncher.RunAsync(info, session.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Every token after the <c>bench</c> verb, in the order typed (a leading <c>--</c> is dropped).</summary>
    internal static IReadOnlyList<string> ForwardedArguments(ParseResult parseResult, Command bench)
    {
        var tokens = parseResult.Tokens;
        int start = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Command && bench.Name == tokens[i].Value)
            {
                start = i + 1;
                break;
            }
        }
        var forwarded = new List<string>();
        for (int i = start; i < tokens.Count; i++)
        {
            if (i == start && tokens[i].Type == TokenType.DoubleDash)
            {
                continue;
            }
            forwarded.Add(tokens[i].Value);
        }
        return forwarded;
    }
}

using System.CommandLine;
using NasBench.Cli.Commands;

namespace NasBench.Cli;

/// <summary>Builds the <c>nasbench</c> root command: shared options and one subcommand per verb.</summary>
internal static class NasBenchCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "NasBench: hardware-aware neural architecture search, and honest measurements of it.\n" +
            "Results go to stdout, logs and progress to stderr. " +
            "Exit codes: 0 success, 1 failure or usage error, 130 cancelled (Ctrl-C).");
        var globals = new GlobalOptions();
        globals.AddTo(root);
        root.Subcommands.Add(InfoCommand.Create(globals));
        root.Subcommands.Add(BenchCommand.Create(globals));
        root.Subcommands.Add(SearchCommand.Create(globals));
        root.Subcommands.Add(TrainCommand.Create(globals));
        root.Subcommands.Add(ModelCommand.Create(globals));
        root.Subcommands.Add(LatencyCommand.Create(globals));
        root.Subcommands.Add(SplitCommand.Create(globals));
        return root;
    }
}

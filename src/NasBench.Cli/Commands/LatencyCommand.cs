using System.CommandLine;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency</c>: hardware targets, latency tables and latency estimates.</summary>
internal static class LatencyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command(
            "latency",
            "Hardware latency: profile every operation of a search space on a target into a table, estimate a " +
            "network's latency from a table, compare two targets op by op, list targets and cached tables, and " +
            "measure how good the estimates are (study). The measurement protocol is described in docs/latency.md.");
        command.Subcommands.Add(LatencyProfileCommand.Create(globals));
        command.Subcommands.Add(LatencyPredictCommand.Create(globals));
        command.Subcommands.Add(LatencyCompareCommand.Create(globals));
        command.Subcommands.Add(LatencyListCommand.Create(globals));
        command.Subcommands.Add(LatencyStudyCommand.Create(globals));
        return command;
    }
}

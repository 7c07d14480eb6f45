using System.CommandLine;

namespace NasBench.Cli;

internal static class Program
{
    // Ctrl-C cancels the verb's token; a training run then finishes its step and writes a checkpoint, which can take
    // longer than System.CommandLine's default 2 s grace period before it kills the process.
    private static Task<int> Main(string[] args) => NasBenchCommand.Create().Parse(args).InvokeAsync(
        new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
}

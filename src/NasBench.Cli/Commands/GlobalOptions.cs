using System.CommandLine;
using NasBench.Cli.Console;
using NasBench.Kernels.Cpu;

namespace NasBench.Cli.Commands;

/// <summary>The options every verb shares (<c>--json</c>, <c>--no-progress</c>, <c>--seed</c>, <c>--threads</c>).</summary>
/// <remarks>One instance per root command, so tests can build as many roots as they like; the options are
/// <see cref="Option.Recursive"/> and so are accepted after any verb.</remarks>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result as JSON on stdout (stable camelCase property names) instead of tables.",
        Recursive = true,
    };

    public Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "No live progress display: plain log lines on stderr (also the default when output is " +
                      "redirected or the CI variable is set).",
        Recursive = true,
    };

    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "Seed for every random component of the run.",
        DefaultValueFactory = _ => 42,
        Recursive = true,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Upper bound on CPU kernel threads (default: all logical cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Recursive = true,
    };

    public GlobalOptions()
    {
        Threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--threads must be at least 1.");
            }
        });
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Json);
        root.Options.Add(NoProgress);
        root.Options.Add(Seed);
        root.Options.Add(Threads);
    }

    /// <summary>Reads the shared options of one invocation, applies <c>--threads</c> to the CPU kernels and opens the
    /// consoles the verb writes to.</summary>
    public CliSession Bind(ParseResult parseResult)
    {
        int threads = parseResult.GetValue(Threads);
        CpuParallel.MaxThreads = threads;
        bool noProgress = parseResult.GetValue(NoProgress);
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        bool interactive = ConsoleInteractivity.Decide(
            TerminalCheck.IsTerminal(output) && TerminalCheck.IsTerminal(error),
            noProgress,
            Environment.GetEnvironmentVariable("CI"));
        return new CliSession(
            output,
            error,
            CliConsoleFactory.Create(output, interactive),
            CliConsoleFactory.Create(error, interactive),
            interactive,
            parseResult.GetValue(Json),
            parseResult.GetValue(Seed),
            threads);
    }
}

using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary>What one verb invocation writes to and the shared option values it runs with.</summary>
/// <param name="Out">Results (stdout, or the test's writer).</param>
/// <param name="Error">Logs, warnings and plain progress lines (stderr, or the test's writer).</param>
/// <param name="Results">A Spectre console over <paramref name="Out"/> for tables.</param>
/// <param name="Log">A Spectre console over <paramref name="Error"/> for live progress.</param>
/// <param name="Interactive">Whether live displays may be drawn (see <see cref="Console.ConsoleInteractivity"/>).
/// </param>
/// <param name="Json">The user asked for JSON on stdout (<c>--json</c>).</param>
/// <param name="Seed">The seed for every random component (<c>--seed</c>).</param>
/// <param name="Threads">The CPU kernel thread limit already applied (<c>--threads</c>).</param>
internal sealed record CliSession(
    TextWriter Out,
    TextWriter Error,
    IAnsiConsole Results,
    IAnsiConsole Log,
    bool Interactive,
    bool Json,
    int Seed,
    int Threads);

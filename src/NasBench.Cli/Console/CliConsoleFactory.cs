using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Creates the Spectre consoles the verbs write through, with every capability decided explicitly.</summary>
internal static class CliConsoleFactory
{
    /// <summary>Width used when the output is not a terminal: wide enough that tables of long CPU names and benchmark
    /// names don't wrap in log files.</summary>
    public const int RedirectedWidth = 160;

    /// <param name="writer">Where the console writes (stdout, stderr or a test's <see cref="StringWriter"/>).</param>
    /// <param name="interactive">From <see cref="ConsoleInteractivity.Decide"/>: live displays and ANSI codes only
    /// when true, so redirected output is plain text.</param>
    public static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!interactive)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }
}

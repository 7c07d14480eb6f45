using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Drives one Spectre <see cref="ProgressTask"/>: the interactive rendering of <see cref="IStepProgress"/>.
/// </summary>
internal sealed class SpectreStepProgress(ProgressTask task, string description) : IStepProgress
{
    public void Advance(string? detail = null)
    {
        task.Increment(1);
        task.Description = detail is null
            ? ConsoleText.Escape(description)
            : $"{ConsoleText.Escape(description)} [grey]{ConsoleText.Escape(detail)}[/]";
    }
}

using NasBench.Cli.Commands;
using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Runs a long job with a progress display: a Spectre progress bar on an interactive terminal, plain
/// per-step lines on stderr otherwise.</summary>
/// <remarks>Nothing else may write to the console while the live display runs (Spectre allows one live renderable,
/// and raw writes tear it): the job reports through <see cref="IStepProgress"/> only.</remarks>
internal static class ProgressDisplay
{
    /// <param name="session">Decides interactive vs plain and supplies the stderr console/writer.</param>
    /// <param name="description">What is running, e.g. "EG-DARTS search"; escaped, never parsed as markup.</param>
    /// <param name="unit">The step noun in plain lines ("step", "epoch").</param>
    /// <param name="totalSteps">How many <see cref="IStepProgress.Advance"/> calls make 100 %.</param>
    /// <param name="work">The job; it reports each finished step and observes its own cancellation token.</param>
    /// <param name="time">Clock for the plain lines' elapsed time and ETA (tests pass a manual one).</param>
    public static Task RunAsync(
        CliSession session,
        string description,
        string unit,
        int totalSteps,
        Func<IStepProgress, Task> work,
        TimeProvider? time = null)
    {
        if (!session.Interactive)
        {
            return work(new PlainStepProgress(session.Error, description, unit, totalSteps, time ?? TimeProvider.System));
        }
        return session.Log.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(ConsoleText.Escape(description), maxValue: Math.Max(totalSteps, 1));
                await work(new SpectreStepProgress(task, description)).ConfigureAwait(false);
                task.StopTask();
            });
    }
}

using NasBench.Cli.Commands;
using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Runs a training job with two progress bars (the whole run and the current epoch, each with ETA) on an
/// interactive terminal, or plain lines on stderr otherwise (<see cref="PlainTrainingProgress"/>).</summary>
/// <remarks>Nothing else may write to the console while the live display runs; the job reports through
/// <see cref="ITrainingProgress"/> only and logs to files.</remarks>
internal static class TrainingProgressDisplay
{
    /// <param name="session">Decides interactive vs plain and supplies the stderr console/writer.</param>
    /// <param name="description">What is trained, e.g. "DARTS_V2 C=16 L=8"; escaped, never parsed as markup.</param>
    /// <param name="epochs">Epochs of the run.</param>
    /// <param name="stepsPerEpoch">Training steps per epoch.</param>
    /// <param name="startEpoch">Epochs already done (a resumed run), shown as done.</param>
    /// <param name="work">The job, run synchronously on the calling thread.</param>
    /// <param name="evaluatedOn">What the per-epoch evaluation set is called: "test" for training, "val" for search
    /// (the α half of the training set).</param>
    public static T Run<T>(CliSession session, string description, int epochs, int stepsPerEpoch, int startEpoch,
        Func<ITrainingProgress, T> work, string evaluatedOn = "test")
    {
        if (!session.Interactive)
        {
            return work(new PlainTrainingProgress(session.Error, description, epochs, stepsPerEpoch, startEpoch,
                TimeProvider.System, evaluatedOn));
        }
        T result = default!;
        session.Log.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .Start(context =>
            {
                var overall = context.AddTask(ConsoleText.Escape(description), maxValue: (double)epochs * stepsPerEpoch);
                overall.Value = (double)startEpoch * stepsPerEpoch;
                result = work(new SpectreTrainingProgress(context, overall, description, stepsPerEpoch, evaluatedOn));
                overall.StopTask();
            });
        return result;
    }
}

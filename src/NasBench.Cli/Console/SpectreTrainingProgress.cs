using System.Globalization;
using NasBench.Search.Training;
using Spectre.Console;

namespace NasBench.Cli.Console;

/// <summary>Interactive rendering of <see cref="ITrainingProgress"/>: a bar for the run and one for the current
/// epoch (replaced at each epoch; finished ones are hidden).</summary>
internal sealed class SpectreTrainingProgress(ProgressContext context, ProgressTask overall, string description,
    int stepsPerEpoch, string evaluatedOn = "test") : ITrainingProgress
{
    private ProgressTask? _epoch;
    private string _last = string.Empty;

    public void Step(TrainingStep step)
    {
        if (_epoch is null)
        {
            // Spectre refuses an empty description; Step sets the real one below.
            _epoch = context.AddTask(string.Create(CultureInfo.InvariantCulture, $"  epoch {step.Epoch}/{step.Epochs}"),
                maxValue: stepsPerEpoch);
            // A resumed epoch starts part-way.
            _epoch.Value = step.Step - 1;
        }
        _epoch.Increment(1);
        _epoch.Description = ConsoleText.Escape(string.Create(CultureInfo.InvariantCulture,
            $"  epoch {step.Epoch}/{step.Epochs}  loss {step.Loss:F3}  acc {step.RunningAccuracy:P1}"));
        overall.Increment(1);
    }

    public void Epoch(EpochResult epoch)
    {
        _epoch?.StopTask();
        _epoch = null;
        _last = string.Create(CultureInfo.InvariantCulture,
            $"  (epoch {epoch.Epoch}: {evaluatedOn} acc {epoch.TestAccuracy:P2}, {epoch.Seconds:F0} s)");
        overall.Description = ConsoleText.Escape(description + _last);
    }
}

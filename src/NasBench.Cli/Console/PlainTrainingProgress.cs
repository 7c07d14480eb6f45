using System.Globalization;
using NasBench.Search.Training;

namespace NasBench.Cli.Console;

/// <summary>Non-interactive rendering of <see cref="ITrainingProgress"/>: about ten step lines per epoch and one
/// summary line per epoch on stderr, each with elapsed time and the ETA of the whole run.</summary>
/// <remarks>ETA extrapolates the mean step time of this invocation over the steps left.</remarks>
internal sealed class PlainTrainingProgress : ITrainingProgress
{
    private readonly TextWriter _log;
    private readonly string _description;
    private readonly int _epochs;
    private readonly int _stepsPerEpoch;
    private readonly int _every;
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _stepsDone;
    private long _stepsLeft;

    private readonly string _evaluatedOn;

    public PlainTrainingProgress(TextWriter log, string description, int epochs, int stepsPerEpoch, int startEpoch,
        TimeProvider time, string evaluatedOn = "test")
    {
        _evaluatedOn = evaluatedOn;
        _log = log;
        _description = description;
        _epochs = epochs;
        _stepsPerEpoch = stepsPerEpoch;
        _every = Math.Max(1, stepsPerEpoch / 10);
        _time = time;
        _start = time.GetTimestamp();
        _stepsLeft = (long)(epochs - startEpoch) * stepsPerEpoch;
    }

    public void Step(TrainingStep step)
    {
        _stepsDone++;
        _stepsLeft = ((long)(_epochs - step.Epoch) * _stepsPerEpoch) + (_stepsPerEpoch - step.Step);
        if (step.Step % _every == 0 && step.Step != _stepsPerEpoch)
        {
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{_description}: epoch {step.Epoch}/{step.Epochs} step {step.Step}/{step.StepsPerEpoch}  " +
                $"loss {step.Loss:F4}  acc {step.RunningAccuracy:P1}  {Timing()}"));
        }
    }

    public void Epoch(EpochResult epoch)
    {
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_description}: epoch {epoch.Epoch}/{_epochs} done  train loss {epoch.TrainLoss:F4} acc " +
            $"{epoch.TrainAccuracy:P2}  {_evaluatedOn} loss {epoch.TestLoss:F4} acc {epoch.TestAccuracy:P2}  lr " +
            $"{epoch.LearningRate:G4}  {epoch.Seconds:F1} s  {Timing()}"));
    }

    private string Timing()
    {
        var elapsed = _time.GetElapsedTime(_start);
        string eta = _stepsLeft <= 0 ? "done"
            : _stepsDone == 0 ? "ETA ?"
            : "ETA " + Format(elapsed / _stepsDone * _stepsLeft);
        return $"elapsed {Format(elapsed)}  {eta}";
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1
            ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}

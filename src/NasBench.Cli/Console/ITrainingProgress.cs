using NasBench.Search.Training;

namespace NasBench.Cli.Console;

/// <summary>What a training run reports to: every step and every finished epoch (called on the training thread).
/// </summary>
internal interface ITrainingProgress
{
    void Step(TrainingStep step);

    void Epoch(EpochResult epoch);
}

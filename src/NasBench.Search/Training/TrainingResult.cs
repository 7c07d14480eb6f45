namespace NasBench.Search.Training;

/// <summary>What <see cref="ClassifierTrainer.Run"/> returns.</summary>
/// <param name="Epochs">Every finished epoch of the run, those done before a resume included.</param>
/// <param name="ResumedAtEpoch">Epoch (from 0) and step the run resumed at, or null for a fresh run.</param>
/// <param name="WallSeconds">Wall time of this invocation.</param>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, (int Epoch, int Step)? ResumedAtEpoch,
    double WallSeconds)
{
    /// <summary>The last epoch.</summary>
    public EpochResult Final => Epochs[^1];
}

namespace NasBench.Search.Training;

/// <summary>Progress report after one training step.</summary>
/// <param name="Epoch">Epoch number from 1.</param>
/// <param name="Epochs">Total epochs of the run.</param>
/// <param name="Step">Steps finished in this epoch, from 1.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="Loss">This batch's main-head cross-entropy.</param>
/// <param name="RunningAccuracy">Training accuracy of the epoch so far, in [0, 1].</param>
public readonly record struct TrainingStep(
    int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double RunningAccuracy);

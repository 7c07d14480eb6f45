namespace NasBench.Search.Training;

/// <summary>One finished training epoch.</summary>
/// <param name="Epoch">Epoch number from 1.</param>
/// <param name="LearningRate">Learning rate used throughout the epoch.</param>
/// <param name="DropPath">Drop-path probability used in the epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy of the main head over the epoch's training batches (as the weights
/// changed, like every framework reports it).</param>
/// <param name="TrainAccuracy">Share of training images classified correctly during the epoch, in [0, 1].</param>
/// <param name="TestLoss">Mean cross-entropy on the test set after the epoch (evaluation mode).</param>
/// <param name="TestAccuracy">Test accuracy after the epoch, in [0, 1].</param>
/// <param name="Seconds">Wall time of the epoch's training steps, test evaluation excluded.</param>
/// <param name="TestSeconds">Wall time of the test evaluation.</param>
public sealed record EpochResult(
    int Epoch, double LearningRate, double DropPath, double TrainLoss, double TrainAccuracy, double TestLoss,
    double TestAccuracy, double Seconds, double TestSeconds);

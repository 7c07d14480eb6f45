namespace NasBench.Search.Splitting.Growth;

/// <summary>The grown network's final architecture trained again from a fresh initialisation (<c>retrain.json</c>).
/// </summary>
/// <remarks>Why: a grown network's rounds each train for a few epochs with a restarted schedule, while the uniform
/// baseline's last round trains from scratch for all the epochs with one schedule; comparing those mixes the
/// architecture with the training. Retraining the grown widths from scratch with the baseline's epochs compares the
/// architectures alone.</remarks>
/// <param name="Epochs">Epochs of the retraining (one cosine schedule).</param>
/// <param name="TestAccuracy">Top-1 test accuracy after retraining, in [0, 1].</param>
/// <param name="Widths">Output width of every unit (the last round's).</param>
public sealed record RetrainResult(int Epochs, long Macs, long Parameters, double TestAccuracy, double TrainLoss,
    double TrainSeconds, int[] Widths);

namespace NasBench.Search.Splitting.Growth;

/// <summary>One row of a growth run's history.</summary>
/// <param name="Round">0 = the seed network after its first training.</param>
/// <param name="Macs">MACs per image after this round's split.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test set after this round's training, in [0, 1].</param>
/// <param name="SplitSeconds">Wall time of estimating the splitting indices and applying the splits.</param>
/// <param name="Neurons">Neurons added this round.</param>
/// <param name="PredictedGain">Σ selected gains (units of ε²/2).</param>
/// <param name="Widths">Output width of every unit after this round.</param>
public sealed record GrowthRound(int Round, long Macs, long Parameters, double TestAccuracy, double TrainLoss,
    double SplitSeconds, double TrainSeconds, int Neurons, double PredictedGain, int[] Widths);

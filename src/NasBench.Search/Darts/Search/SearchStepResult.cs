namespace NasBench.Search.Darts.Search;

/// <summary>What one search step measured: training loss/accuracy of the weight step, validation loss/accuracy of the
/// α step (at w′ for second order), and the normalised expected cost Ĉ(α) (NaN without a complexity term).</summary>
public readonly record struct SearchStepResult(double TrainLoss, double TrainAccuracy, double ValidationLoss,
    double ValidationAccuracy, double NormalizedCost);

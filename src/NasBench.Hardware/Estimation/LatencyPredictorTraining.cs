namespace NasBench.Hardware.Estimation;

/// <summary>How a <see cref="LatencyPredictor"/> was trained.</summary>
/// <param name="Epochs">Adam steps taken (fewer than asked when early stopping ended training).</param>
/// <param name="BestEpoch">The epoch whose weights were kept (lowest validation loss; the last one without
/// validation).</param>
/// <param name="FitModels">Models stepped on.</param>
/// <param name="ValidationModels">Models held out for early stopping (0 = none).</param>
/// <param name="TrainingLoss">Mean squared error of the standardised log target on the fitted models, kept weights.
/// </param>
/// <param name="ValidationLoss">The same on the held-out models (NaN without validation).</param>
public sealed record LatencyPredictorTraining(int Epochs, int BestEpoch, int FitModels, int ValidationModels,
    double TrainingLoss, double ValidationLoss);

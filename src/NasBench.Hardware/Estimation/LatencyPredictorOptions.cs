namespace NasBench.Hardware.Estimation;

/// <summary>Training settings of <see cref="LatencyPredictor"/>.</summary>
/// <param name="Hidden">Width of the two hidden layers.</param>
/// <param name="Epochs">Most full-batch Adam steps.</param>
/// <param name="LearningRate">Adam learning rate (cosine-annealed to 5 % of it over <see cref="Epochs"/>).</param>
/// <param name="WeightDecay">L2 decay added to the gradient.</param>
/// <param name="Seed">Initialisation and validation-split seed.</param>
/// <param name="ValidationFraction">Share of the training models held out for early stopping (0 = none: train all
/// epochs on every model). The held-out models are never stepped on; the weights of the epoch with the lowest
/// validation loss are kept.</param>
/// <param name="Patience">Stop once the validation loss has not improved for this many epochs.</param>
public sealed record LatencyPredictorOptions(int Hidden = 32, int Epochs = 400, double LearningRate = 1e-2,
    double WeightDecay = 1e-3, ulong Seed = 7, double ValidationFraction = 0.2, int Patience = 60)
{
    /// <exception cref="ArgumentException">A setting out of range (named with its value).</exception>
    public void Validate()
    {
        if (Hidden < 1 || Epochs < 0 || !(LearningRate > 0) || WeightDecay < 0 || Patience < 1
            || !(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentException($"Invalid predictor options {this}: Hidden ≥ 1, Epochs ≥ 0, LearningRate > 0, "
                + "WeightDecay ≥ 0, 0 ≤ ValidationFraction < 1 and Patience ≥ 1 are required.");
        }
    }
}

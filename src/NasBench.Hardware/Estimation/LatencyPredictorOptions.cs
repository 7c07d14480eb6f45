namespace NasBench.Hardware.Estimation;

/// <summary>Training settings of <see cref="LatencyPredictor"/>.</summary>
/// <param name="Hidden">Width of the two hidden layers.</param>
/// <param name="Epochs">Full-batch Adam steps.</param>
/// <param name="LearningRate">Adam learning rate (cosine-annealed to 5 % of it).</param>
/// <param name="WeightDecay">L2 decay added to the gradient.</param>
/// <param name="Seed">Initialisation seed.</param>
public sealed record LatencyPredictorOptions(int Hidden = 64, int Epochs = 1500, double LearningRate = 3e-3,
    double WeightDecay = 1e-4, ulong Seed = 7);

namespace NasBench.Search.Splitting.Growth;

/// <summary>Settings of a growth run (written to the run's <c>config.json</c>).</summary>
/// <param name="Network"><c>mobilenet</c> or <c>vgg</c>.</param>
/// <param name="BudgetMacs">MACs per image the run grows to by its last round.</param>
/// <param name="Rounds">K split rounds after the seed network's training.</param>
/// <param name="Epochs">Training epochs per round (seed round included).</param>
/// <param name="SeedMultiplier">Width multiplier of the narrow seed network relative to the base widths.</param>
/// <param name="SplitBatches">Training mini-batches the splitting estimators see per round.</param>
/// <param name="Epsilon">ε of the offspring displacement (authors: 0.01).</param>
/// <param name="NegativeMass">a, the negative-weight bound of signed splitting.</param>
/// <param name="TrainSubset">Use only the first N training images (0 = all), for quick runs.</param>
public sealed record GrowthOptions(
    string Network,
    GrowthMode Mode,
    double BudgetMacs,
    int Rounds,
    int Epochs,
    int Seed,
    string Dataset,
    double SeedMultiplier = 0.25,
    int BatchSize = 64,
    double LearningRate = 0.05,
    double WeightDecay = 5e-4,
    int SplitBatches = 8,
    float Epsilon = 0.01f,
    float NegativeMass = 0.5f,
    int FastIterations = 100,
    int TrainSubset = 0);

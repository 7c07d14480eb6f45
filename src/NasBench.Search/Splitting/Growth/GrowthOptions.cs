namespace NasBench.Search.Splitting.Growth;

/// <summary>Settings of a growth run (written to the run's <c>config.json</c>).</summary>
/// <param name="Network"><c>mobilenet</c> or <c>vgg</c>.</param>
/// <param name="BudgetMacs">MACs per image the run grows to by its last round.</param>
/// <param name="Rounds">K split rounds after the seed network's training.</param>
/// <param name="Epochs">Training epochs per round (seed round included).</param>
/// <param name="SeedMultiplier">Width multiplier of the narrow seed network relative to the base widths.</param>
/// <param name="Epsilon">ε of the offspring displacement (authors: 0.01).</param>
/// <param name="NegativeMass">a, the negative-weight bound of signed splitting.</param>
/// <param name="SplitBatches">Training mini-batches the splitting estimators see per round; 0 = one full pass over the
/// (subset of the) training set.</param>
/// <param name="TrainSubset">Use only the first N training images (0 = all), for quick runs.</param>
/// <param name="CostModel">Cost model of the selection (<see cref="SplitCostModels"/>): <c>macs</c> (default),
/// <c>energy</c> or <c>latency</c>. The round budget is in its unit; the MAC schedule still decides the growth.</param>
/// <param name="Target">Latency target (<c>cpu</c>, <c>cpu-1t</c> or a latency table file) for <c>latency</c>.</param>
/// <param name="EnergyCoefficients">Coefficients JSON for <c>energy</c> (null: Horowitz 45 nm).</param>
/// <param name="LatencyTable">Table JSON the latency model starts from and keeps up to date (null:
/// <c>latency-table.json</c> in the run directory).</param>
/// <param name="Clock">Clock of <c>cpu-1t</c> samples: <c>wall</c> or <c>thread-cpu</c>.</param>
/// <param name="MacCap">With energy or latency selection, also keep each round's added MACs within the MAC schedule
/// (default). Off: only the cost budget limits a round, and the MACs may pass the schedule and the budget.</param>
/// <param name="RetrainEpochs">After the last round, train the final architecture again from a fresh initialisation
/// for this many epochs (0 = don't; ignored by the uniform baseline, whose rounds are already trained from scratch).
/// </param>
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
    int TrainSubset = 0,
    string CostModel = SplitCostModels.Macs,
    string? Target = null,
    string? EnergyCoefficients = null,
    string? LatencyTable = null,
    string Clock = "wall",
    bool MacCap = true,
    int RetrainEpochs = 0);

namespace NasBench.Search.Splitting.Growth;

/// <summary>One row of a growth run's history.</summary>
/// <param name="Round">0 = the seed network after its first training.</param>
/// <param name="Macs">MACs per image after this round's split.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test set after this round's training, in [0, 1].</param>
/// <param name="SplitSeconds">Wall time of estimating the splitting indices and applying the splits.</param>
/// <param name="Neurons">Neurons added this round.</param>
/// <param name="PredictedGain">Σ selected gains (units of ε²/2).</param>
/// <param name="Widths">Output width of every unit after this round.</param>
/// <param name="Cost">Cost of the network after this round under the run's selection cost model
/// (<see cref="CostUnit"/>).</param>
/// <param name="RoundBudget">This round's selection budget, in <see cref="CostUnit"/> (0 for round 0 and uniform).
/// </param>
/// <param name="AddedCost">Cost the split added, in <see cref="CostUnit"/> (never above the budget).</param>
/// <param name="EnergyMicrojoules">Modelled energy of one forward pass (µJ per image) with the run's energy
/// coefficients (Horowitz 45 nm unless the run's energy model names a file), whatever the selection model.</param>
/// <param name="CostUnit">Unit of the selection cost model (<c>MACs</c>, <c>µJ</c>, <c>ms</c>); null in histories
/// written before the cost was recorded.</param>
/// <param name="CostName">Name of the selection cost model (<c>flops</c>, <c>energy:cpu</c>, <c>latency:cpu-1t</c>);
/// null in older histories.</param>
public sealed record GrowthRound(int Round, long Macs, long Parameters, double TestAccuracy, double TrainLoss,
    double SplitSeconds, double TrainSeconds, int Neurons, double PredictedGain, int[] Widths, double Cost = 0,
    double RoundBudget = 0, double AddedCost = 0, double EnergyMicrojoules = 0, string? CostUnit = null,
    string? CostName = null);

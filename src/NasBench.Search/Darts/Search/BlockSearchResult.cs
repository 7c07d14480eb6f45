namespace NasBench.Search.Darts.Search;

/// <summary>Outcome of a block-level search.</summary>
/// <param name="ValidationAccuracy">Accuracy on the α split: running over the last epoch's α steps for the
/// differentiable methods, of the chosen architecture for random search.</param>
/// <param name="NormalizedCost">Ĉ of the final α (EG-DARTS), NaN otherwise.</param>
/// <param name="Seconds">Wall time of the search (this process only, for a resumed run).</param>
public sealed record BlockSearchResult(Genotype Genotype, double ValidationAccuracy, double NormalizedCost,
    double Seconds, int Epochs);

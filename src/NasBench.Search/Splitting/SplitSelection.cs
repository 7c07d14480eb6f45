namespace NasBench.Search.Splitting;

/// <summary>The candidates chosen under a budget.</summary>
/// <param name="Chosen">The selected candidates, at most one per neuron.</param>
/// <param name="TotalGain">Σ gain of the chosen candidates.</param>
/// <param name="TotalCost">Σ cost of the chosen candidates (≤ the budget).</param>
/// <param name="ProvenOptimal">True when the branch and bound finished, so no other feasible choice gains more.</param>
public sealed record SplitSelection(IReadOnlyList<SplitCandidate> Chosen, double TotalGain, double TotalCost,
    bool ProvenOptimal);

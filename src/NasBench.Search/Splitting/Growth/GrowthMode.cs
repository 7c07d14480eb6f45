namespace NasBench.Search.Splitting.Growth;

/// <summary>How a growth run chooses and applies splits.</summary>
public enum GrowthMode
{
    /// <summary>Fast Rayleigh-quotient λ_min (§3), energy-aware selection, positive splits.</summary>
    Fast,

    /// <summary>Exact S2D: full S per neuron and eigen-decomposition (§2.4), same selection and splits.</summary>
    Exact,

    /// <summary>Fast λ_min and λ_max, signed schemes (§5) in the same knapsack.</summary>
    Signed,

    /// <summary>Baseline: the same network at uniform width with the MACs of each round, trained from scratch for as
    /// many epochs as the grown network has had by then.</summary>
    Uniform,
}

using NasBench.Search.Darts.Supernet;

namespace NasBench.Search.Darts.Search;

/// <summary>Everything that defines a block-level search run (written to the run's <c>config.json</c>).</summary>
/// <param name="Algorithm">darts (first order), darts2 (second order), eg-darts, or random.</param>
/// <param name="TrainPortion">Share of the training set that trains weights; the rest trains α (DARTS: 0.5).</param>
/// <param name="Lambda">EG-DARTS: weight λ of the normalised complexity term.</param>
/// <param name="LambdaWarmup">EG-DARTS: epochs over which λ ramps up from 0.</param>
/// <param name="MaxRelativeNorm">EG-DARTS: cap of ‖λ∇Ĉ‖ relative to ‖∇L_val‖ per cell type.</param>
/// <param name="RandomSamples">Random search: architectures sampled and trained within the equal budget.</param>
/// <param name="LossForm">EG-DARTS: a hardware loss form of darts.md §3 over (CE, LAT) — <c>additive[:λ]</c>,
/// <c>fbnet[:α:β]</c>, <c>mul#log[:a:b]</c>, <c>add#linear[:λ]</c> — instead of the normalised additive term; null
/// for the latter.</param>
public sealed record BlockSearchSettings(
    string Algorithm,
    SupernetConfig Supernet,
    int Epochs = 50,
    int BatchSize = 64,
    int Seed = 2,
    double TrainPortion = 0.5,
    double Lambda = 1.0,
    int LambdaWarmup = -1,
    double MaxRelativeNorm = 1.0,
    int RandomSamples = 8,
    string? LossForm = null)
{
    public static IReadOnlyList<string> Algorithms { get; } = ["eg-darts", "darts", "darts2", "random"];

    public bool IsSecondOrder => Algorithm == "darts2";

    public bool UsesComplexity => Algorithm == "eg-darts";

    /// <summary>λ warm-up in epochs: the given value, or a quarter of the run by default.</summary>
    public int EffectiveLambdaWarmup => LambdaWarmup >= 0 ? LambdaWarmup : Epochs / 4;

    /// <summary>Forward-backward passes per search step: used to give random search an equal budget.</summary>
    public int PassesPerStep => IsSecondOrder ? 5 : 2;

    public void Validate()
    {
        if (!Algorithms.Contains(Algorithm))
        {
            throw new ArgumentException(
                $"Unknown algorithm '{Algorithm}'; expected one of: {string.Join(", ", Algorithms)}.");
        }
        Supernet.Validate();
        if (Epochs <= 0 || BatchSize <= 0 || TrainPortion is <= 0 or >= 1 || Lambda < 0 || RandomSamples <= 0
            || MaxRelativeNorm <= 0)
        {
            throw new ArgumentException(
                $"Invalid search settings {this}: epochs, batch size, random samples and the norm cap must be "
                + "positive, the train portion in (0, 1) and λ ≥ 0.");
        }
    }
}

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
/// <param name="ArchWarmup">Epochs of weight-only training before the first α step (0 = DARTS). With untrained
/// weights the parameter-free candidates (skip, pools) give the lowest validation loss, so early α steps push mass
/// onto them and a short search collapses there; PC-DARTS and P-DARTS warm the weights up first for this reason.
/// </param>
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
    string? LossForm = null,
    int ArchWarmup = 0)
{
    public static IReadOnlyList<string> Algorithms { get; } = ["eg-darts", "darts", "darts2", "random"];

    public bool IsSecondOrder => Algorithm == "darts2";

    public bool UsesComplexity => Algorithm == "eg-darts";

    /// <summary>λ warm-up in epochs: the given value, or a quarter of the run by default.</summary>
    public int EffectiveLambdaWarmup => LambdaWarmup >= 0 ? LambdaWarmup : Epochs / 4;

    /// <summary>Forward-backward passes per search step: used to give random search an equal budget.</summary>
    public int PassesPerStep => IsSecondOrder ? 5 : 2;

    /// <summary>Forward-backward passes of the whole differentiable search at <paramref name="stepsPerEpoch"/>: one
    /// per step during the α warm-up (weights only), <see cref="PassesPerStep"/> after.</summary>
    public double SearchPasses(int stepsPerEpoch) =>
        (double)stepsPerEpoch * (ArchWarmup + ((double)(Epochs - ArchWarmup) * PassesPerStep));

    public void Validate()
    {
        if (!Algorithms.Contains(Algorithm))
        {
            throw new ArgumentException(
                $"Unknown algorithm '{Algorithm}'; expected one of: {string.Join(", ", Algorithms)}.");
        }
        Supernet.Validate();
        if (ArchWarmup < 0 || ArchWarmup >= Epochs)
        {
            throw new ArgumentException(
                $"The α warm-up must leave at least one epoch with α steps: got {ArchWarmup} warm-up epochs of "
                + $"{Epochs}.");
        }
        if (Epochs <= 0 || BatchSize <= 0 || TrainPortion is <= 0 or >= 1 || Lambda < 0 || RandomSamples <= 0
            || MaxRelativeNorm <= 0)
        {
            throw new ArgumentException(
                $"Invalid search settings {this}: epochs, batch size, random samples and the norm cap must be "
                + "positive, the train portion in (0, 1) and λ ≥ 0.");
        }
    }
}

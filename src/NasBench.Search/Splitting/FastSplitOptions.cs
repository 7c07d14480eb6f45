namespace NasBench.Search.Splitting;

/// <summary>Settings of the fast Rayleigh-quotient estimator (<see cref="FastSplitting"/>).</summary>
/// <param name="PowerIterations">Back-props spent estimating each neuron's spectral radius ρ_j (power iteration);
/// the Rayleigh step is then preconditioned per neuron by 1/(1.1·ρ_j).</param>
/// <param name="Iterations">Rayleigh-quotient gradient steps (one back-prop each, all neurons at once).</param>
/// <param name="StepSize">Step η in preconditioned units; the iteration is stable for η &lt; 1/2·1.1 ≈ 0.55 whatever
/// the spectrum, since λ_max − λ_min ≤ 2ρ.</param>
/// <param name="Momentum">Heavy-ball momentum β on the normalised iterates: m ← β·m + (v_kernel − v),
/// v ← (v + m)/‖v + m‖. It plays the role of the authors' RMSprop momentum 0.9 and cuts the iterations needed on
/// ill-conditioned spectra roughly to their square root.</param>
/// <param name="EvaluationBatches">Batches of the final frozen-v pass that estimates λ (§3.4); 0 = all.</param>
/// <param name="EstimateMax">Also estimate λ_max and v_max (signed splitting) with a second probe per unit.</param>
/// <param name="Seed">Seed of the random initial vectors.</param>
public sealed record FastSplitOptions(int PowerIterations = 6, int Iterations = 100, float StepSize = 0.45f,
    float Momentum = 0.9f, int EvaluationBatches = 0, bool EstimateMax = false, ulong Seed = 1);

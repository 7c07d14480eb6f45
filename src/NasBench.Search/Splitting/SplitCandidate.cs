namespace NasBench.Search.Splitting;

/// <summary>One way of splitting one neuron, with what it is predicted to gain and what it costs.</summary>
/// <param name="Neuron">Global neuron id; at most one candidate per neuron is selected.</param>
/// <param name="Layer">Layer id, for per-layer width caps.</param>
/// <param name="Scheme">Which splitting scheme this candidate applies.</param>
/// <param name="Gain">Predicted second-order loss decrease in units of ε²/2 (e.g. −λ_min for a positive split).</param>
/// <param name="Cost">Energy cost of the split: MACs, parameters, table latency or energy added. Must be ≥ 0.</param>
/// <param name="NewNeurons">Neurons the split adds to its layer (1, 2 or 3).</param>
public sealed record SplitCandidate(int Neuron, int Layer, SplitScheme Scheme, double Gain, double Cost, int NewNeurons = 1);

namespace NasBench.Search.Splitting;

/// <summary>One neuron to split and along which directions.</summary>
/// <param name="UnitIndex">The splittable unit.</param>
/// <param name="Neuron">Output channel j of that unit.</param>
/// <param name="Scheme">Positive (S2D), Negative or Combined (signed, §5.2).</param>
/// <param name="MinVector">v_min (d values; normalised on use) for Positive and Combined.</param>
/// <param name="MaxVector">v_max (d values) for Negative and Combined.</param>
public sealed record SplitAction(int UnitIndex, int Neuron, SplitScheme Scheme, float[]? MinVector,
    float[]? MaxVector);

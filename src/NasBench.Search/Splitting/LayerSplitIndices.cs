namespace NasBench.Search.Splitting;

/// <summary>Splitting indices of every neuron of one splittable unit.</summary>
/// <param name="UnitIndex">Index of the unit in the network.</param>
/// <param name="Width">Neurons (output channels) C.</param>
/// <param name="FanIn">d, incoming weights per neuron.</param>
/// <param name="LambdaMin">λ_min per neuron [C].</param>
/// <param name="MinVectors">Unit eigenvectors of λ_min, [C, d] row-major.</param>
/// <param name="LambdaMax">λ_max per neuron [C], or null when not estimated (plain splitting).</param>
/// <param name="MaxVectors">Unit eigenvectors of λ_max, [C, d], or null.</param>
public sealed record LayerSplitIndices(int UnitIndex, int Width, int FanIn, double[] LambdaMin, float[] MinVectors,
    double[]? LambdaMax, float[]? MaxVectors)
{
    public float[] MinVector(int neuron) => MinVectors.AsSpan(neuron * FanIn, FanIn).ToArray();

    public float[] MaxVector(int neuron) => MaxVectors is null
        ? throw new InvalidOperationException($"λ_max was not estimated for unit {UnitIndex}.")
        : MaxVectors.AsSpan(neuron * FanIn, FanIn).ToArray();
}

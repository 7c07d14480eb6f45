namespace NasBench.Kernels.Reference;

/// <summary>DARTS mixed-op oracle: <c>y = Σ_k w_k·x_k</c> and its backward, accumulating reductions in double.</summary>
/// <remarks>Shapes: K = <c>weights.Length</c> = <c>inputs.Count</c>; n = <c>output.Length</c> (forward) or
/// <c>dy.Length</c> (backward); every input (and every non-null input gradient) holds at least n floats, of which the
/// first n are used (pooled arrays may be longer).</remarks>
public static class MixedOpReference
{
    /// <summary><c>y[i] = Σ_k w[k]·x_k[i]</c> for i &lt; <c>output.Length</c>, summed in double.</summary>
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, Span<float> output)
    {
        MixedOpValidation.Forward(weights, inputs, output.Length);
        for (int i = 0; i < output.Length; i++)
        {
            double sum = 0;
            for (int k = 0; k < inputs.Count; k++)
            {
                sum += (double)weights[k] * inputs[k][i];
            }
            output[i] = (float)sum;
        }
    }

    /// <summary><c>dx_k (= or +=) w_k·dy</c> where <c>dInputs[k]</c> is not null; <c>dWeights[k] = ⟨x_k, dy⟩</c>
    /// always (overwritten), summed in double.</summary>
    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, ReadOnlySpan<float> dy,
        IReadOnlyList<float[]?> dInputs, Span<float> dWeights, bool accumulate)
    {
        MixedOpValidation.Backward(weights, inputs, dy.Length, dInputs, dWeights.Length);
        for (int k = 0; k < inputs.Count; k++)
        {
            float[] x = inputs[k];
            float[]? dx = dInputs[k];
            double dot = 0;
            for (int i = 0; i < dy.Length; i++)
            {
                dot += (double)x[i] * dy[i];
                if (dx is not null)
                {
                    float g = weights[k] * dy[i];
                    dx[i] = accumulate ? dx[i] + g : g;
                }
            }
            dWeights[k] = (float)dot;
        }
    }
}

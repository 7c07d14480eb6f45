namespace NasBench.Kernels.Reference;

/// <summary>Argument checks shared by the mixed-op reference and the fast kernel, so both reject the same calls with
/// the same messages.</summary>
internal static class MixedOpValidation
{
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, int length)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (weights.Length != inputs.Count)
        {
            throw new ArgumentException(
                $"Mixed op has {inputs.Count} inputs but {weights.Length} weights.", nameof(weights));
        }
        CheckArrays(inputs, length, nameof(inputs));
    }

    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, int length,
        IReadOnlyList<float[]?> dInputs, int dWeightsLength)
    {
        Forward(weights, inputs, length);
        ArgumentNullException.ThrowIfNull(dInputs);
        if (dInputs.Count != inputs.Count)
        {
            throw new ArgumentException(
                $"Mixed op has {inputs.Count} inputs but {dInputs.Count} input gradients.", nameof(dInputs));
        }
        if (dWeightsLength != inputs.Count)
        {
            throw new ArgumentException(
                $"Mixed op has {inputs.Count} inputs but dWeights holds {dWeightsLength}.");
        }
        for (int k = 0; k < dInputs.Count; k++)
        {
            if (dInputs[k] is { } dx && dx.Length < length)
            {
                throw new ArgumentException(
                    $"Input gradient {k} holds {dx.Length} floats, fewer than the {length} of dy.", nameof(dInputs));
            }
        }
    }

    private static void CheckArrays(IReadOnlyList<float[]> inputs, int length, string name)
    {
        for (int k = 0; k < inputs.Count; k++)
        {
            float[]? x = inputs[k];
            if (x is null)
            {
                throw new ArgumentException($"Input {k} is null.", name);
            }
            if (x.Length < length)
            {
                throw new ArgumentException($"Input {k} holds {x.Length} floats, fewer than the {length} needed.", name);
            }
        }
    }
}

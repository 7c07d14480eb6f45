namespace NasBench.Kernels.Reference;

/// <summary>Argument checks shared by the mixed-op reference and the fast kernel, so both reject the same calls with
/// the same messages.</summary>
internal static class MixedOpValidation
{
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, int length) =>
        Forward(weights, Cpu.FloatSegments.Of(inputs)!, length);

    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<float[]> inputs, int length,
        IReadOnlyList<float[]?> dInputs, int dWeightsLength) =>
        Backward(weights, Cpu.FloatSegments.Of(inputs)!, length, Cpu.FloatSegments.Of(dInputs)!, dWeightsLength);

    /// <summary>As the array overload; a segment without an array is a null input.</summary>
    public static void Forward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs, int length)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (weights.Length != inputs.Count)
        {
            throw new ArgumentException(
                $"Mixed op has {inputs.Count} inputs but {weights.Length} weights.", nameof(weights));
        }
        CheckArrays(inputs, length, nameof(inputs));
    }

    /// <summary>As the array overload; a gradient segment without an array means no gradient for that input.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> weights, IReadOnlyList<ArraySegment<float>> inputs, int length,
        IReadOnlyList<ArraySegment<float>> dInputs, int dWeightsLength)
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
            if (dInputs[k] is { Array: not null } dx && dx.Count < length)
            {
                throw new ArgumentException(
                    $"Input gradient {k} holds {dx.Count} floats, fewer than the {length} of dy.", nameof(dInputs));
            }
        }
    }

    private static void CheckArrays(IReadOnlyList<ArraySegment<float>> inputs, int length, string name)
    {
        for (int k = 0; k < inputs.Count; k++)
        {
            var x = inputs[k];
            if (x.Array is null)
            {
                throw new ArgumentException($"Input {k} is null.", name);
            }
            if (x.Count < length)
            {
                throw new ArgumentException($"Input {k} holds {x.Count} floats, fewer than the {length} needed.", name);
            }
        }
    }
}

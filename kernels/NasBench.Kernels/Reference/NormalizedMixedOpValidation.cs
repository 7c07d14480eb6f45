namespace NasBench.Kernels.Reference;

/// <summary>Argument checks shared by <see cref="NormalizedMixedOpReference"/> and the CPU kernel, so both reject
/// the same calls with the same messages.</summary>
internal static class NormalizedMixedOpValidation
{
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps, int meanLength,
        int invStdLength, int varianceLength, int outputLength) =>
        Forward(batch, channels, planeSize, weights, Cpu.FloatSegments.Of(inputs)!, batchStatistics, eps, meanLength,
            invStdLength, varianceLength, outputLength);

    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<float[]> inputs, ReadOnlySpan<bool> batchStatistics, int meanLength, int invStdLength,
        int dyLength, IReadOnlyList<float[]?> dInputs, int accumulateLength, int dWeightsLength) =>
        Backward(batch, channels, planeSize, weights, Cpu.FloatSegments.Of(inputs)!, batchStatistics, meanLength,
            invStdLength, dyLength, Cpu.FloatSegments.Of(dInputs)!, accumulateLength, dWeightsLength);

    /// <summary>As the array overload; a segment without an array is a null input.</summary>
    public static void Forward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<ArraySegment<float>> inputs, ReadOnlySpan<bool> batchStatistics, ReadOnlySpan<float> eps,
        int meanLength, int invStdLength, int varianceLength, int outputLength)
    {
        long total = Common(batch, channels, planeSize, weights, inputs, batchStatistics, meanLength, invStdLength);
        if (eps.Length < inputs.Count)
        {
            throw new ArgumentException($"Normalized mixed op: eps holds {eps.Length} values, {inputs.Count} needed.",
                nameof(eps));
        }
        Per(channels, inputs.Count, varianceLength, "variance");
        if (outputLength < total)
        {
            throw new ArgumentException(
                $"Normalized mixed op: output holds {outputLength} floats, fewer than the {total} of N·C·plane.");
        }
    }

    /// <summary>As the array overload; a gradient segment without an array means no gradient for that input.
    /// </summary>
    public static void Backward(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<ArraySegment<float>> inputs, ReadOnlySpan<bool> batchStatistics, int meanLength,
        int invStdLength, int dyLength, IReadOnlyList<ArraySegment<float>> dInputs, int accumulateLength,
        int dWeightsLength)
    {
        long total = Common(batch, channels, planeSize, weights, inputs, batchStatistics, meanLength, invStdLength);
        ArgumentNullException.ThrowIfNull(dInputs);
        int k = inputs.Count;
        if (dyLength < total)
        {
            throw new ArgumentException(
                $"Normalized mixed op: dy holds {dyLength} floats, fewer than the {total} of N·C·plane.");
        }
        if (dInputs.Count != k || accumulateLength < k || dWeightsLength < k)
        {
            throw new ArgumentException(
                $"Normalized mixed op has {k} inputs but {dInputs.Count} input gradients, {accumulateLength} "
                + $"accumulate flags and {dWeightsLength} weight gradients.");
        }
        for (int j = 0; j < k; j++)
        {
            if (dInputs[j] is { Array: not null } dx && dx.Count < total)
            {
                throw new ArgumentException(
                    $"Input gradient {j} holds {dx.Count} floats, fewer than the {total} needed.", nameof(dInputs));
            }
        }
    }

    private static long Common(int batch, int channels, int planeSize, ReadOnlySpan<float> weights,
        IReadOnlyList<ArraySegment<float>> inputs, ReadOnlySpan<bool> batchStatistics, int meanLength,
        int invStdLength)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Common(batch, channels, planeSize, weights, inputs.Count,
            j => inputs[j].Array is null ? -1 : inputs[j].Count, batchStatistics, meanLength, invStdLength);
    }

    /// <summary>The checks shared by every backend, on lengths: <paramref name="inputLength"/> gives input j's length
    /// in floats, or −1 for a null input. Returns N·C·plane.</summary>
    internal static long Common(int batch, int channels, int planeSize, ReadOnlySpan<float> weights, int inputCount,
        Func<int, long> inputLength, ReadOnlySpan<bool> batchStatistics, int meanLength, int invStdLength)
    {
        // The caller's parameter is called inputs in every backend; this method only sees its count and lengths.
        string inputs = "inputs";
        if (batch <= 0 || channels <= 0 || planeSize <= 0)
        {
            throw new ArgumentException(
                $"Normalized mixed op sizes must be positive, got {batch}×{channels}×{planeSize}.");
        }
        int k = inputCount;
        if (k == 0)
        {
            throw new ArgumentException("Normalized mixed op needs at least one input.", inputs);
        }
        if (weights.Length != k || batchStatistics.Length < k)
        {
            throw new ArgumentException(
                $"Normalized mixed op has {k} inputs but {weights.Length} weights and {batchStatistics.Length} "
                + "batch-statistics flags.", nameof(weights));
        }
        long total = (long)batch * channels * planeSize;
        for (int j = 0; j < k; j++)
        {
            long length = inputLength(j);
            if (length < 0)
            {
                throw new ArgumentException($"Input {j} is null.", inputs);
            }
            if (length < total)
            {
                throw new ArgumentException(
                    $"Input {j} holds {length} floats, fewer than the {total} of N·C·plane.", inputs);
            }
        }
        Per(channels, k, meanLength, "mean");
        Per(channels, k, invStdLength, "invStd");
        return total;
    }

    internal static void Per(int channels, int k, int length, string name)
    {
        if (length < (long)k * channels)
        {
            throw new ArgumentException(
                $"Normalized mixed op: {name} holds {length} values, K·C = {k * channels} needed ([K, C] layout).",
                name);
        }
    }
}

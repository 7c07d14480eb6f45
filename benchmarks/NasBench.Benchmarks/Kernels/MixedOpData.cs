using NasBench.Benchmarks.Infrastructure;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Inputs and byte counts shared by the mixed-op benchmarks.</summary>
internal static class MixedOpData
{
    /// <summary>Seeded arrays, written once so every page is faulted in before timing starts.</summary>
    public static float[][] Arrays(Random random, int count, int length)
    {
        var arrays = new float[count][];
        for (int k = 0; k < count; k++)
        {
            arrays[k] = new float[length];
            for (int i = 0; i < length; i++)
            {
                arrays[k][i] = random.NextSingle() - 0.5f;
            }
        }
        return arrays;
    }

    /// <summary>Softmax-like weights summing to 1.</summary>
    public static float[] Weights(int k) => [.. Enumerable.Range(1, k).Select(i => i / (k * (k + 1) / 2f))];

    /// <summary>STREAM-style count (no write-allocate): forward reads K and writes 1 operand; backward reads K + 1
    /// (x_k, dy) and writes K (dx_k).</summary>
    public static Work Bytes(string method, int k, int length) =>
        Work.Bytes((method.StartsWith("Backward", StringComparison.Ordinal) ? (2 * k) + 1 : k + 1) * 4.0 * length);
}

using NasBench.Kernels.Cpu.Simd;

namespace NasBench.Kernels.Tests.SearchHotPaths;

/// <summary>Seeded inputs and the length/width grids the search hot-path tests share.</summary>
internal static class TestData
{
    /// <summary>0..256 plus the lengths that straddle vector tiles and chunks (CONVENTIONS.md).</summary>
    public static IEnumerable<int> Lengths() => Enumerable.Range(0, 257).Concat([1025, 8197]);

    public static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    public static float[] Uniform(Random random, int length, float low = -1f, float high = 1f)
    {
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = low + ((high - low) * random.NextSingle());
        }
        return data;
    }
}

namespace NasBench.Search.Tests.Darts;

/// <summary>Whole-tensor closeness for comparisons of two computations of the same quantity (recomputed vs kept,
/// folded vs unfolded): one norm bound instead of an element-wise one, which would fail on entries that are zero up
/// to rounding.</summary>
internal static class NormAssert
{
    /// <summary>‖actual − expected‖ ≤ relative·‖expected‖ + absolute·√n.</summary>
    public static void Close(float[] expected, float[] actual, double relative, string what, double absolute = 0)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += (double)(expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += (double)expected[i] * expected[i];
        }
        Assert.True(norm > 0 || diff == 0, $"{what}: reference is all zeros");
        Assert.True(Math.Sqrt(diff) <= (relative * Math.Sqrt(norm)) + (absolute * Math.Sqrt(expected.Length)),
            $"{what}: relative difference {Math.Sqrt(diff / norm):G3} exceeds {relative:G3} "
            + $"(norm {Math.Sqrt(norm):G3})");
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>Seeded tensors and tolerance checks shared by the convolution tests.</summary>
internal static class ConvolutionData
{
    public static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return data;
    }

    /// <summary>Float accumulation against the double-precision reference: errors grow with the number of terms,
    /// which here stays in the hundreds.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float tol = 1e-4f * (1 + Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tol))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
            }
        }
    }

    public static void AssertBitIdentical(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                Assert.Fail($"{what}[{i}] differs between thread counts: {a[i]} vs {b[i]}");
            }
        }
    }

    public static Conv2dShape Shape(int n, int c, int h, int w, int co, int k, int stride, int pad, int dil,
        int groups) => new(n, c, h, w, co, k, k, stride, stride, pad, pad, dil, dil, groups);
}

using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Elementwise;

public class ActivationKernelTests
{
    /// <summary>Every length 0..256 (all vector/tail splits), 1025, 8197 (long bodies with odd tails), and two past
    /// <see cref="BulkKernel.ParallelThreshold"/>, cut into fixed chunks with a partial last one.</summary>
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int n in Enumerable.Range(0, 257).Concat([1025, 8197, 65573, 98309]))
        {
            data.Add(n);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReluBackward_matches_scalar_loop(int length)
    {
        var x = Random(length, length);
        var dy = Random(length, length + 1000);
        foreach (bool accumulate in new[] { false, true })
        {
            var dx = Random(length, length + 2000);
            var expected = (float[])dx.Clone();
            for (int i = 0; i < length; i++)
            {
                float v = x[i] > 0 ? dy[i] : 0f;
                expected[i] = accumulate ? expected[i] + v : v;
            }
            ActivationKernel.ReluBackward(x, dy, dx, accumulate);
            Assert.Equal(expected, dx);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Relu_matches_scalar_loop(int length)
    {
        var x = Random(length, length + 3000);
        var y = new float[length];
        ActivationKernel.Relu(x, y);
        Assert.Equal(x.Select(v => v > 0 ? v : 0f).ToArray(), y);
    }

    [Fact]
    public void ReluBackward_passes_no_gradient_at_zero_and_rejects_mismatched_lengths()
    {
        float[] x = [0f, -0f, 1e-30f, -1e-30f];
        float[] dy = [1f, 1f, 1f, 1f];
        var dx = new float[4];
        ActivationKernel.ReluBackward(x, dy, dx, accumulate: false);
        Assert.Equal([0f, 0f, 1f, 0f], dx);
        Assert.Throws<ArgumentException>(() => ActivationKernel.ReluBackward(x, dy.AsSpan(1), dx, false));
        Assert.Throws<ArgumentException>(() => ActivationKernel.ReluBackward(x, dy, dx.AsSpan(1), false));
    }

    /// <summary>Values in [−1, 1] with exact zeros sprinkled in, so the x &gt; 0 edge is hit.</summary>
    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.Next(8) == 0 ? 0f : (float)((rng.NextDouble() * 2) - 1);
        }
        return a;
    }
}

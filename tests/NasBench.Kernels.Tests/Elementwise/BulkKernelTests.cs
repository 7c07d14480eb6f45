using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Elementwise;

public class BulkKernelTests
{
    private const int Chunk = FixedChunks.TargetElements;

    /// <summary>0..256 and 1025, 8197 run on one thread; the rest straddle the parallel threshold and the chunk
    /// boundaries, with odd tails.</summary>
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int n in Enumerable.Range(0, 257).Concat([1025, 8197, BulkKernel.ParallelThreshold - 1,
            BulkKernel.ParallelThreshold, (3 * Chunk) + 17, (7 * Chunk) - 5]))
        {
            data.Add(n);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_operation_matches_a_scalar_loop_and_the_single_threaded_call(int n)
    {
        var a = Random(n, 1);
        var b = Random(n, 2);
        var c = Random(n, 3);
        const float s = -0.37f;
        Check(n, d => BulkKernel.Copy(a, d), i => a[i], d => a.CopyTo(d));
        Check(n, d => BulkKernel.Add(a, b, d), i => a[i] + b[i], d => TensorPrimitives.Add(a, b, d));
        Check(n, d => BulkKernel.Subtract(a, b, d), i => a[i] - b[i], d => TensorPrimitives.Subtract(a, b, d));
        Check(n, d => BulkKernel.Multiply(a, b, d), i => a[i] * b[i], d => TensorPrimitives.Multiply(a, b, d));
        Check(n, d => BulkKernel.Scale(a, s, d), i => a[i] * s, d => TensorPrimitives.Multiply(a, s, d));
        Check(n, d => BulkKernel.AddScalar(a, s, d), i => a[i] + s, d => TensorPrimitives.Add(a, s, d));
        // Fused or not is TensorPrimitives' choice; the scalar loop allows either rounding.
        Check(n, d => BulkKernel.ScaleAdd(a, s, b, d), i => (a[i] * s) + b[i],
            d => TensorPrimitives.MultiplyAdd(a, s, b, d), tolerance: 1e-6f);
        Check(n, d => BulkKernel.MultiplyAdd(a, b, c, d), i => (a[i] * b[i]) + c[i],
            d => TensorPrimitives.MultiplyAdd(a, b, c, d), tolerance: 1e-6f);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData((3 * Chunk) + 17)]
    public void In_place_updates_read_each_element_before_writing_it(int n)
    {
        var a = Random(n, 4);
        var b = Random(n, 5);
        var expected = a.Zip(b, (x, y) => x + y).ToArray();
        BulkKernel.Add(a, b, a);
        Assert.Equal(expected, a);
        var scaled = b.Select(x => x * 2f).ToArray();
        BulkKernel.Scale(b, 2f, b);
        Assert.Equal(scaled, b);
    }

    [Theory]
    [InlineData(1, 7, 7, 3)]
    [InlineData(5, 0, 3, 2)]
    [InlineData(3, 13, 20, 31)]
    [InlineData(64, 16 * 784, 64 * 784, 0)]
    [InlineData(64, 16 * 784, 64 * 784, 48 * 784)]
    [InlineData(200, 3001, 5000, 1999)]
    public void CopyBlocks_copies_and_adds_strided_runs_and_touches_nothing_else(int blocks, int blockLength,
        int dstStride, int dstOffset)
    {
        int srcStride = blockLength + 3;
        var src = Random(Math.Max(0, ((blocks - 1) * srcStride) + blockLength), 6);
        foreach (bool accumulate in new[] { false, true })
        {
            var dst = Random(dstOffset + ((blocks - 1) * dstStride) + blockLength + 11, 7);
            var expected = (float[])dst.Clone();
            for (int i = 0; i < blocks; i++)
            {
                for (int j = 0; j < blockLength; j++)
                {
                    int at = dstOffset + (i * dstStride) + j;
                    float v = src[(i * srcStride) + j];
                    expected[at] = accumulate ? expected[at] + v : v;
                }
            }
            BulkKernel.CopyBlocks(src, srcStride, dst.AsSpan(dstOffset), dstStride, blocks, blockLength, accumulate);
            Assert.Equal(expected, dst);
        }
    }

    [Fact]
    public void Mismatched_lengths_and_strides_are_named()
    {
        var a = new float[10];
        var ex = Assert.Throws<ArgumentException>(() => BulkKernel.Add(a, new float[9], new float[10]));
        Assert.Contains("b holds 9 values; the destination holds 10", ex.Message);
        Assert.Throws<ArgumentException>(() => BulkKernel.Copy(a, new float[11]));
        var blocks = Assert.Throws<ArgumentException>(() =>
            BulkKernel.CopyBlocks(a, 4, new float[20], 3, 2, 4, false));
        Assert.Contains("dst: 2 blocks of 4 floats 3 apart", blocks.Message);
        Assert.Throws<ArgumentException>(() => BulkKernel.CopyBlocks(a, 6, new float[20], 6, 2, 5, false));
    }

    private static void Check(int n, Action<float[]> bulk, Func<int, float> scalar, Action<float[]> serial,
        float tolerance = 0f)
    {
        var actual = Random(n, 99);
        bulk(actual);
        var single = new float[n];
        serial(single);
        Assert.Equal(single, actual);
        for (int i = 0; i < n; i++)
        {
            float e = scalar(i);
            if (tolerance == 0f ? actual[i] != e : MathF.Abs(actual[i] - e) > tolerance * (1 + MathF.Abs(e)))
            {
                Assert.Fail($"element {i} of {n}: expected {e}, got {actual[i]}");
            }
        }
    }

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        var data = new float[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = (random.NextSingle() * 2f) - 1f;
        }
        return data;
    }
}

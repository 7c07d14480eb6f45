using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Gemm;

namespace NasBench.Kernels.Tests.Gemm;

/// <summary>The fast SGEMM against <see cref="Reference.SgemmReference"/>: sizes around every block edge, all
/// transpose combinations, alpha/beta, strides, thread counts and each SIMD path.</summary>
[Collection(GemmCollection.Name)]
public class SgemmTests
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 64, 65, 100, 127, 129, 257];

    private static readonly (bool A, bool B)[] Transposes = [(false, false), (false, true), (true, false), (true, true)];

    /// <summary>Each size of the list in each of the three dimensions, the other two fixed at awkward values.</summary>
    public static TheoryData<int, int, int> EachDimension()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int s in Sizes)
        {
            data.Add(s, 37, 29);
            data.Add(23, s, 29);
            data.Add(23, 37, s);
        }
        return data;
    }

    /// <summary>Seeded random triples from the size list, plus a few larger than one cache block.</summary>
    public static TheoryData<int, int, int, int> MixedShapes()
    {
        var data = new TheoryData<int, int, int, int>();
        var random = new Random(20240611);
        for (int i = 0; i < 24; i++)
        {
            data.Add(Sizes[random.Next(Sizes.Length)], Sizes[random.Next(Sizes.Length)],
                Sizes[random.Next(Sizes.Length)], i);
        }
        data.Add(300, 200, 513, 100);
        data.Add(129, 257, 300, 101);
        data.Add(16, 784, 144, 102);
        data.Add(200, 600, 40, 103);
        return data;
    }

    [Theory]
    [MemberData(nameof(EachDimension))]
    public void Matches_reference_when_one_dimension_sweeps_the_size_list(int m, int n, int k)
    {
        foreach (var (ta, tb) in Transposes)
        {
            var problem = new GemmCase(ta, tb, m, n, k, alpha: 1.5f, beta: 0f, seed: m + (3 * n) + (7 * k));
            problem.AssertMatchesReference(problem.Run(Fast));
        }
    }

    [Theory]
    [MemberData(nameof(MixedShapes))]
    public void Matches_reference_for_mixed_shapes_and_alpha_beta(int m, int n, int k, int seed)
    {
        float[] betas = [0f, 1f, 0.5f];
        foreach (var (ta, tb) in Transposes)
        {
            float beta = betas[(seed + (ta ? 1 : 0) + (tb ? 2 : 0)) % 3];
            var problem = new GemmCase(ta, tb, m, n, k, alpha: -0.75f, beta, seed);
            problem.AssertMatchesReference(problem.Run(Fast));
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void Matches_reference_with_strides_longer_than_rows(float beta)
    {
        foreach (var (ta, tb) in Transposes)
        {
            var problem = new GemmCase(ta, tb, 67, 101, 75, alpha: 2f, beta, seed: 7, padA: 5, padB: 19, padC: 3);
            problem.AssertMatchesReference(problem.Run(Fast));
        }
    }

    [Theory]
    [InlineData(300, 200, 513)]
    [InlineData(257, 129, 300)]
    [InlineData(16, 784, 144)]
    public void One_and_two_threads_give_bit_identical_results(int m, int n, int k)
    {
        // The case must really be split, or this test could not fail.
        var (mParts, nParts) = GemmDriver.Grid(m, n, k, MicroKernel512.Mr, MicroKernel512.Nr, threads: 2);
        Assert.True(mParts * nParts > 1, $"{m}x{n}x{k} runs as a single chunk at 2 threads");
        Assert.Equal((1, 1), GemmDriver.Grid(m, n, k, MicroKernel512.Mr, MicroKernel512.Nr, threads: 1));
        foreach (var (ta, tb) in Transposes)
        {
            var problem = new GemmCase(ta, tb, m, n, k, alpha: 1f, beta: 0.5f, seed: 11);
            float[] one;
            float[] two;
            using (CpuParallel.Limit(1))
            {
                one = problem.Run(Fast);
            }
            using (CpuParallel.Limit(2))
            {
                two = problem.Run(Fast);
            }
            Assert.Equal(one.Select(BitConverter.SingleToInt32Bits), two.Select(BitConverter.SingleToInt32Bits));
            problem.AssertMatchesReference(two);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Shared_B_path_matches_the_chunk_grid_bit_for_bit_at_one_and_two_threads(bool transA, bool transB)
    {
        // Large enough for the shared-B path (M ≥ 8·MC, 135 M multiply-adds), with ragged edges in every dimension;
        // the path is forced from one thread on, then the grid path by raising the work threshold.
        const int m = 1601, n = 211, k = 401;
        var problem = new GemmCase(transA, transB, m, n, k, alpha: 0.75f, beta: 0.5f, seed: 12);
        float[] one, two, grid;
        int minThreads = GemmBlocking.SharedBMinThreads;
        GemmBlocking.SharedBMinThreads = 1;
        try
        {
            using (CpuParallel.Limit(1))
            {
                Assert.True(GemmDriver.SharesB(m, n, k), $"{m}x{n}x{k} does not take the shared-B path");
                one = problem.Run(Fast);
            }
            using (CpuParallel.Limit(2))
            {
                two = problem.Run(Fast);
                long threshold = GemmBlocking.SharedBMinWork;
                GemmBlocking.SharedBMinWork = long.MaxValue;
                try
                {
                    Assert.False(GemmDriver.SharesB(m, n, k));
                    grid = problem.Run(Fast);
                }
                finally
                {
                    GemmBlocking.SharedBMinWork = threshold;
                }
            }
        }
        finally
        {
            GemmBlocking.SharedBMinThreads = minThreads;
        }
        using (CpuParallel.Limit(2))
        {
            Assert.False(GemmDriver.SharesB(m, n, k), "2 threads run the grid by default");
        }
        Assert.Equal(one.Select(BitConverter.SingleToInt32Bits), two.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(grid.Select(BitConverter.SingleToInt32Bits), two.Select(BitConverter.SingleToInt32Bits));
        problem.AssertMatchesReference(two);
    }

    /// <summary>Path names (the enum is internal, and public test methods cannot take it).</summary>
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var path in GemmDispatch.Supported)
        {
            data.Add(path.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Each_simd_path_matches_reference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        (int M, int N, int K)[] shapes = [(1, 1, 1), (7, 5, 3), (17, 33, 65), (65, 127, 31), (129, 100, 257)];
        foreach (var (m, n, k) in shapes)
        {
            foreach (var (ta, tb) in Transposes)
            {
                foreach (float beta in new[] { 0f, 0.5f })
                {
                    var problem = new GemmCase(ta, tb, m, n, k, alpha: 1.25f, beta, seed: m * k, padA: 1, padC: 2);
                    problem.AssertMatchesReference(problem.Run((g, c) => Sgemm.Multiply(path, g.TransA, g.TransB,
                        g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, g.Beta, c, g.Ldc)));
                }
            }
        }
    }

    [Fact]
    public void Auto_path_is_the_widest_accelerated_one() =>
        Assert.Equal(GemmDispatch.Supported[^1], GemmDispatch.Resolve(GemmPath.Auto));

    [Fact]
    public void Zero_k_or_zero_alpha_scales_c_by_beta()
    {
        var zeroK = new GemmCase(false, false, 5, 6, 0, alpha: 1f, beta: 0.5f, seed: 3);
        zeroK.AssertMatchesReference(zeroK.Run(Fast));
        var zeroKBetaZero = new GemmCase(true, true, 5, 6, 0, alpha: 1f, beta: 0f, seed: 3);
        Assert.All(zeroKBetaZero.Run(Fast), v => Assert.Equal(0f, v));
        var zeroAlpha = new GemmCase(false, true, 9, 4, 7, alpha: 0f, beta: 0.5f, seed: 4);
        zeroAlpha.AssertMatchesReference(zeroAlpha.Run(Fast));
    }

    [Fact]
    public void Empty_m_or_n_leaves_c_alone()
    {
        float[] c = [42f];
        Sgemm.Multiply(false, false, 0, 1, 3, 1f, new float[3], 3, new float[3], 1, 0f, c, 1);
        Sgemm.Multiply(false, false, 1, 0, 3, 1f, new float[3], 3, new float[3], 1, 0f, c, 1);
        Assert.Equal(42f, c[0]);
    }

    [Fact]
    public void Steady_state_single_thread_call_allocates_nothing()
    {
        var problem = new GemmCase(false, true, 100, 130, 70, alpha: 1f, beta: 0f, seed: 5);
        var c = (float[])problem.C0.Clone();
        using (CpuParallel.Limit(1))
        {
            Fast(problem, c);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Fast(problem, c);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    private static void Fast(GemmCase g, float[] c) =>
        Sgemm.Multiply(g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, g.Beta, c, g.Ldc);
}

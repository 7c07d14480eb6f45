using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.SearchHotPaths;

public class LatencyLookupKernelTests
{
    public static TheoryData<int> Widths() => new(TestData.Widths.Select(w => (int)w));

    [Fact]
    public void ExpectedCost_matches_reference_including_large_logits()
    {
        var random = new Random(31);
        foreach (var (edges, ops) in new[] { (1, 1), (1, 8), (14, 8), (22, 9), (3, 17), (5, 33) })
        {
            foreach (float logitScale in new[] { 1f, 80f })
            {
                var alpha = TestData.Uniform(random, edges * ops, -logitScale, logitScale);
                var table = TestData.Uniform(random, edges * ops, 0f, 5f);
                var (pRef, gRef) = (new float[edges * ops], new float[edges * ops]);
                var (p, g) = (new float[edges * ops], new float[edges * ops]);
                float expected = LatencyLookupReference.ExpectedCost(edges, ops, alpha, table, pRef, gRef);
                float actual = LatencyLookupKernel.ExpectedCost(edges, ops, alpha, table, p, g);
                Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + Math.Abs(expected)),
                    $"{edges}x{ops}: {actual} vs {expected}");
                for (int i = 0; i < p.Length; i++)
                {
                    Assert.True(Math.Abs(p[i] - pRef[i]) <= 1e-6, $"p[{i}] {p[i]} vs {pRef[i]}");
                    Assert.True(Math.Abs(g[i] - gRef[i]) <= 1e-5, $"dα[{i}] {g[i]} vs {gRef[i]}");
                }
            }
        }
    }

    [Fact]
    public void ExpectedCost_gradient_matches_central_differences()
    {
        var random = new Random(32);
        const int Edges = 14, Ops = 8;
        var alpha = TestData.Uniform(random, Edges * Ops, -2f, 2f);
        var table = TestData.Uniform(random, Edges * Ops, 0f, 3f);
        var p = new float[Edges * Ops];
        var g = new float[Edges * Ops];
        LatencyLookupKernel.ExpectedCost(Edges, Ops, alpha, table, p, g);
        var a = alpha.Select(x => (double)x).ToArray();
        const double H = 1e-5;
        for (int i = 0; i < a.Length; i++)
        {
            double saved = a[i];
            a[i] = saved + H;
            double plus = CostInDouble(Edges, Ops, a, table);
            a[i] = saved - H;
            double minus = CostInDouble(Edges, Ops, a, table);
            a[i] = saved;
            double fd = (plus - minus) / (2 * H);
            Assert.True(Math.Abs(g[i] - fd) <= 1e-5 + (1e-4 * Math.Abs(fd)), $"dα[{i}]: {g[i]} vs FD {fd}");
        }
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void ExpectedCost_rejects_a_non_finite_entry_naming_edge_and_op(float bad)
    {
        var table = new float[4 * 6];
        table[(3 * 6) + 5] = bad;
        var ex = Assert.Throws<ArgumentException>(() =>
            LatencyLookupKernel.ExpectedCost(4, 6, new float[24], table, new float[24], new float[24]));
        Assert.Contains("edge 3, op 5", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void BatchLookup_is_bit_identical_to_reference_and_close_to_the_exact_sum(int simdWidth)
    {
        var random = new Random(33);
        var cost = TestData.Uniform(random, 300, 0f, 10f);
        foreach (int population in Enumerable.Range(0, 41).Concat([1025, 2111]))
        {
            foreach (int slots in new[] { 1, 2, 7, 14, 22 })
            {
                var index = Enumerable.Range(0, population * slots).Select(_ => random.Next(cost.Length)).ToArray();
                var expected = new float[population];
                var actual = Enumerable.Repeat(float.NaN, population).ToArray();
                LatencyLookupReference.BatchLookup(population, slots, index, cost, expected);
                LatencyLookupKernel.BatchLookup(population, slots, index, cost, actual, (SimdWidth)simdWidth);
                Assert.Equal(expected, actual);
                for (int p = 0; p < population; p++)
                {
                    double exact = 0;
                    for (int s = 0; s < slots; s++)
                    {
                        exact += cost[index[(p * slots) + s]];
                    }
                    Assert.True(Math.Abs(actual[p] - exact) <= 1e-6 * exact * slots, $"p={p}: {actual[p]} vs {exact}");
                }
            }
        }
    }

    [Fact]
    public void BatchLookup_is_bit_identical_at_one_and_two_threads()
    {
        var random = new Random(34);
        const int Population = 5000, Slots = 22;
        var cost = TestData.Uniform(random, 198, 0f, 10f);
        var index = Enumerable.Range(0, Population * Slots).Select(_ => random.Next(cost.Length)).ToArray();
        float[] Run(int threads)
        {
            using var _ = CpuParallel.Limit(threads);
            var totals = new float[Population];
            LatencyLookupKernel.BatchLookup(Population, Slots, index, cost, totals);
            return totals;
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Theory]
    [InlineData(1, 4000, 3, 200)]
    [InlineData(2, 4000, 3, -1)]
    [InlineData(2, 17, 0, 200)]
    public void BatchLookup_names_the_first_bad_index(int threads, int badRow, int badSlot, int badValue)
    {
        const int Population = 4096, Slots = 5;
        var index = new int[Population * Slots];
        index[(badRow * Slots) + badSlot] = badValue;
        index[(Population - 1) * Slots] = 999; // a later bad entry must not be the one reported
        using var _ = CpuParallel.Limit(threads);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            LatencyLookupKernel.BatchLookup(Population, Slots, index, new float[200], new float[Population]));
        Assert.Contains($"architecture {badRow}, slot {badSlot}", ex.Message, StringComparison.Ordinal);
    }

    private static double CostInDouble(int edges, int ops, double[] alpha, float[] table)
    {
        double total = 0;
        for (int e = 0; e < edges; e++)
        {
            double max = alpha.Skip(e * ops).Take(ops).Max();
            double sum = 0, weighted = 0;
            for (int o = 0; o < ops; o++)
            {
                double w = Math.Exp(alpha[(e * ops) + o] - max);
                sum += w;
                weighted += w * table[(e * ops) + o];
            }
            total += weighted / sum;
        }
        return total;
    }
}

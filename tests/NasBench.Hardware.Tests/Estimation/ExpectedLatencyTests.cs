using NasBench.Hardware.Estimation;

namespace NasBench.Hardware.Tests.Estimation;

public class ExpectedLatencyTests
{
    private const int Edges = 14;
    private const int Ops = 8;

    private static float[] Random(Random rng, double scale, double offset) =>
        [.. Enumerable.Range(0, Edges * Ops).Select(_ => (float)((rng.NextDouble() * scale) + offset))];

    [Fact]
    public void Value_is_the_softmax_weighted_table_sum_plus_the_fixed_part()
    {
        var rng = new Random(3);
        var tables = new[] { Random(rng, 2, 0.01), Random(rng, 2, 0.01) };
        var alphas = new[] { Random(rng, 2, -1), Random(rng, 2, -1) };
        var model = new ExpectedLatency(Edges, Ops, tables, fixedMs: 1.5);
        double expected = 1.5;
        for (int t = 0; t < 2; t++)
        {
            for (int e = 0; e < Edges; e++)
            {
                double max = Enumerable.Range(0, Ops).Max(o => alphas[t][(e * Ops) + o]);
                double z = Enumerable.Range(0, Ops).Sum(o => Math.Exp(alphas[t][(e * Ops) + o] - max));
                for (int o = 0; o < Ops; o++)
                {
                    expected += Math.Exp(alphas[t][(e * Ops) + o] - max) / z * tables[t][(e * Ops) + o];
                }
            }
        }
        Assert.Equal(expected, model.Evaluate(alphas), 4);
    }

    [Fact]
    public void Gradient_matches_central_finite_differences()
    {
        var rng = new Random(11);
        var tables = new[] { Random(rng, 3, 0.05), Random(rng, 3, 0.05) };
        var alphas = new[] { Random(rng, 1, -0.5), Random(rng, 1, -0.5) };
        var model = new ExpectedLatency(Edges, Ops, tables, fixedMs: 0.7);
        var grads = new[] { new float[Edges * Ops], new float[Edges * Ops] };
        model.Evaluate(alphas, grads);
        const float h = 1e-2f;
        for (int t = 0; t < 2; t++)
        {
            for (int i = 0; i < Edges * Ops; i += 5)
            {
                float keep = alphas[t][i];
                alphas[t][i] = keep + h;
                double plus = model.Evaluate(alphas);
                alphas[t][i] = keep - h;
                double minus = model.Evaluate(alphas);
                alphas[t][i] = keep;
                double fd = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(fd - grads[t][i]) <= 2e-3 + (2e-2 * Math.Abs(fd)),
                    $"type {t} entry {i}: analytic {grads[t][i]}, finite difference {fd}");
            }
        }
    }

    [Fact]
    public void Population_lookup_sums_the_entries_each_architecture_names()
    {
        float[] entries = [0.5f, 1.25f, 2f, 4f, 8f];
        int[] index = [0, 1, 2, 4, 4, 4, 3, 3, 0];
        var totals = new float[3];
        new PopulationLatency(entries, 3).Evaluate(index, totals);
        Assert.Equal([3.75f, 24f, 8.5f], totals);
        Assert.Throws<ArgumentException>(() => new PopulationLatency(entries, 4).Evaluate(index, totals));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PopulationLatency(entries, 3).Evaluate([0, 1, 5], totals));
    }
}

using NasBench.Search.Splitting;

namespace NasBench.Search.Tests.Splitting;

public class EnergyAwareSelectorTests
{
    /// <summary>Every subset, keeping only feasible ones: the answer the selector must reach.</summary>
    private static double BruteForce(IReadOnlyList<SplitCandidate> items, double budget, IReadOnlyDictionary<int, int>? caps)
    {
        double best = 0;
        for (int mask = 0; mask < 1 << items.Count; mask++)
        {
            var chosen = Enumerable.Range(0, items.Count).Where(i => (mask & (1 << i)) != 0).Select(i => items[i]).ToList();
            bool feasible = chosen.Sum(c => c.Cost) <= budget
                && chosen.Select(c => c.Neuron).Distinct().Count() == chosen.Count
                && (caps is null || chosen.GroupBy(c => c.Layer)
                    .All(g => !caps.TryGetValue(g.Key, out int cap) || g.Sum(c => c.NewNeurons) <= cap));
            if (feasible)
            {
                best = Math.Max(best, chosen.Sum(c => c.Gain));
            }
        }
        return best;
    }

    private static List<SplitCandidate> RandomInstance(Random rng, int n, bool signed)
    {
        var list = new List<SplitCandidate>();
        for (int i = 0; i < n; i++)
        {
            int neuron = signed ? i / 2 : i;
            var scheme = signed && i % 2 == 1 ? SplitScheme.Negative : SplitScheme.Positive;
            double gain = Math.Round((rng.NextDouble() * 2) - 0.4, 3); // some candidates have no gain
            double cost = rng.Next(1, 40) * (scheme == SplitScheme.Negative ? 2 : 1);
            list.Add(new SplitCandidate(neuron, rng.Next(3), scheme, gain, cost, scheme == SplitScheme.Negative ? 2 : 1));
        }
        return list;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Matches_brute_force_on_small_instances(int seed, bool signed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            var items = RandomInstance(rng, rng.Next(1, 13), signed);
            double budget = rng.Next(0, 120);
            var caps = trial % 2 == 0 ? null : new Dictionary<int, int> { [0] = 2, [1] = 1 };
            var result = EnergyAwareSelector.Select(items, budget, caps);
            Assert.True(result.ProvenOptimal);
            Assert.Equal(BruteForce(items, budget, caps), result.TotalGain, 9);
            Assert.True(result.TotalCost <= budget + 1e-9, $"cost {result.TotalCost} exceeds budget {budget}");
            Assert.Equal(result.Chosen.Count, result.Chosen.Select(c => c.Neuron).Distinct().Count());
        }
    }

    [Fact]
    public void Never_exceeds_the_budget_on_large_instances()
    {
        var rng = new Random(7);
        var items = RandomInstance(rng, 400, signed: true);
        foreach (double budget in new[] { 0.0, 10, 500, 3000 })
        {
            var result = EnergyAwareSelector.Select(items, budget, nodeLimit: 200_000);
            Assert.True(result.TotalCost <= budget);
            Assert.All(result.Chosen, c => Assert.True(c.Gain > 0));
        }
    }

    [Fact]
    public void Neurons_without_negative_eigenvalue_are_not_split_even_when_free()
    {
        var items = new[]
        {
            new SplitCandidate(0, 0, SplitScheme.Positive, Gain: -0.5, Cost: 0), // λ_min = +0.5: splitting stable
            new SplitCandidate(1, 0, SplitScheme.Positive, Gain: 0.2, Cost: 1),
        };
        var result = EnergyAwareSelector.Select(items, 100);
        Assert.Equal([1], result.Chosen.Select(c => c.Neuron));
    }

    [Fact]
    public void Prefers_cheap_gain_over_expensive_gain()
    {
        var items = new[]
        {
            new SplitCandidate(0, 0, SplitScheme.Positive, 1.0, 10),
            new SplitCandidate(1, 1, SplitScheme.Positive, 0.6, 4),
            new SplitCandidate(2, 1, SplitScheme.Positive, 0.6, 4),
        };
        var result = EnergyAwareSelector.Select(items, 8);
        Assert.Equal([1, 2], result.Chosen.Select(c => c.Neuron).Order());
        Assert.Equal(1.2, result.TotalGain, 12);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var bad = new[] { new SplitCandidate(3, 0, SplitScheme.Positive, 1, double.NaN) };
        var e = Assert.Throws<ArgumentException>(() => EnergyAwareSelector.Select(bad, 1));
        Assert.Contains("neuron 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyAwareSelector.Select([], -1));
    }
}

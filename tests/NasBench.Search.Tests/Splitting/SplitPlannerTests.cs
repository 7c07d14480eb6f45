using NasBench.Hardware.Cost;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Splitting;

public class SplitPlannerTests
{
    private static readonly MacCostModel Macs = new(GrowableOperationAnalyzer.Instance);

    internal static List<LayerSplitIndices> FakeIndices(GrowableNetwork net, int seed, bool withMax)
    {
        var rng = new Random(seed);
        return [.. net.SplittableIndices.Select(u =>
        {
            var unit = net.Splittable(u);
            int c = unit.OutWidth, d = unit.FanIn;
            var lmin = Enumerable.Range(0, c).Select(_ => rng.NextDouble() - 0.7).ToArray();
            var lmax = Enumerable.Range(0, c).Select(_ => rng.NextDouble() - 0.2).ToArray();
            var v = Enumerable.Range(0, c * d).Select(_ => (float)rng.NextDouble() + 0.1f).ToArray();
            return new LayerSplitIndices(u, c, d, lmin, v, withMax ? lmax : null, withMax ? v : null);
        })];
    }

    [Theory]
    [InlineData("mobilenet", false, 0.1)]
    [InlineData("mobilenet", true, 0.3)]
    [InlineData("vgg", false, 0.2)]
    [InlineData("vgg", true, 0.05)]
    public void Plan_never_exceeds_the_budget_on_the_real_network(string name, bool signed, double share)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var net = new GrowableNetwork(NetworkArchitectures.Create(name, 1, 28, 28, 10, 0.25), new Generator(1));
            double before = net.Cost(Macs);
            double budget = share * before;
            var actions = SplitPlanner.Plan(net, FakeIndices(net, seed, signed), Macs, budget, signed, 0.5, out var sel);
            Assert.NotEmpty(actions);
            Assert.True(sel.TotalCost <= budget + 1e-6);
            NeuronSplitter.Apply(net, actions, 0.01f);
            Assert.True(net.Cost(Macs) - before <= budget,
                $"{name} seed {seed}: grew by {net.Cost(Macs) - before} MACs, budget {budget}");
            Assert.All(sel.Chosen, c => Assert.True(c.Gain > 0));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Plan_matches_brute_force_on_a_small_network(int seed)
    {
        // One splittable unit, so the marginal costs are exact and the knapsack optimum is the true optimum.
        var net = SplitTestNets.Build(1, 6, 3, (ulong)seed,
            new UnitSpec(UnitKinds.Conv, 7, 3, 1), new UnitSpec(UnitKinds.GlobalPool),
            new UnitSpec(UnitKinds.Classifier, 3));
        var indices = FakeIndices(net, seed, withMax: true);
        double budget = net.Cost(Macs) * 0.4;
        SplitPlanner.Plan(net, indices, Macs, budget, signed: true, 0.5, out var sel);
        var cands = SplitPlanner.Candidates(net, indices, Macs, signed: true, 0.5);
        double best = 0;
        for (int mask = 0; mask < 1 << cands.Count; mask++)
        {
            var chosen = Enumerable.Range(0, cands.Count).Where(i => (mask & (1 << i)) != 0).Select(i => cands[i])
                .ToList();
            if (chosen.Select(c => c.Neuron).Distinct().Count() == chosen.Count
                && chosen.Sum(c => c.NewNeurons) <= 7
                && SplitPlanner.TrueCost(net, Macs, chosen) - net.Cost(Macs) <= budget)
            {
                best = Math.Max(best, chosen.Sum(c => c.Gain));
            }
        }
        Assert.True(cands.Count is > 4 and <= 20, $"instance size {cands.Count}");
        Assert.Equal(best, sel.TotalGain, 9);
    }
}

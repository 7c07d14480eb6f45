using NasBench.Hardware;
using NasBench.Hardware.Cost;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Growth;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Splitting;

/// <summary>Energy and other non-MAC selection costs for splitting: the analyzer's counts against real modules, the
/// secant costs, the drop step and the round budget rule.</summary>
public class SplitCostModelTests
{
    private static readonly MacCostModel Macs = new(GrowableOperationAnalyzer.Instance);

    private static readonly EnergyCostModel Energy =
        new(GrowableOperationAnalyzer.Instance, EnergyCoefficients.Horowitz45nm("cpu"));

    public static TheoryData<string, int, int, int, int> Ops => new()
    {
        { "conv3x3", 3, 5, 9, 1 },
        { "conv3x3", 4, 6, 9, 2 },
        { "conv1x1", 7, 3, 8, 1 },
        { "dwconv3x3", 6, 6, 9, 2 },
        { "linear", 12, 5, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Analyzer_parameters_and_activation_bytes_match_the_real_unit(string name, int cin, int cout, int size,
        int stride)
    {
        int kernel = name == "conv1x1" || name == "linear" ? 1 : 3;
        var op = new OperationConfig(name, cin, cout, size, size, stride, kernel, 1, 2);
        var counts = GrowableOperationAnalyzer.Instance.Count(op);
        var module = GrowableOperationModules.Instance.Build(op);
        Assert.Equal(module.Parameters().Sum(p => (long)p.Numel), counts.Parameters);
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        module.Eval();
        var output = module.Forward(Tensor.Rand(new Generator(5), GrowableOperationModules.Instance.InputShape(op)));
        // Batch 2: activation bytes are float32 outputs of the whole batch.
        Assert.Equal(4L * output.Numel, counts.ActivationBytes);
        Assert.True(counts.Macs > 0);
    }

    [Theory]
    [InlineData("mobilenet")]
    [InlineData("vgg")]
    public void Analyzer_parameters_over_a_network_equal_its_trainable_parameters(string name)
    {
        var net = new GrowableNetwork(NetworkArchitectures.Create(name, 1, 28, 28, 10, 0.25), new Generator(1));
        long counted = net.Operations().Sum(o => GrowableOperationAnalyzer.Instance.Count(o).Parameters);
        Assert.Equal(net.ParameterCount(), counted);
        // Energy needs all three counts: it must exceed what its MAC term alone gives.
        double macTerm = 4.6e-6 * net.Macs();
        Assert.True(net.Cost(Energy) > macTerm * 1.05, $"energy {net.Cost(Energy)} µJ vs MAC term {macTerm} µJ");
    }

    [Fact]
    public void Unknown_operation_is_refused_with_its_key()
    {
        var op = new OperationConfig("conv5x5", 3, 3, 8, 8, 1, 5, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => GrowableOperationModules.Instance.Build(op));
        Assert.Contains(op.Key, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mobilenet")]
    [InlineData("vgg")]
    public void Candidate_costs_are_the_one_channel_difference_for_linear_models(string name)
    {
        var net = new GrowableNetwork(NetworkArchitectures.Create(name, 1, 28, 28, 10, 0.25), new Generator(1));
        var indices = SplitPlannerTests.FakeIndices(net, 3, withMax: false);
        foreach (ICostModel model in new ICostModel[] { Macs, Energy })
        {
            var cands = SplitPlanner.Candidates(net, indices, model, signed: false, 0.5);
            double baseCost = net.Cost(model);
            foreach (var layer in indices)
            {
                var widths = net.Widths();
                widths[layer.UnitIndex]++;
                double one = net.Cost(model, widths) - baseCost;
                foreach (var c in cands.Where(c => c.Layer == layer.UnitIndex))
                {
                    Assert.Equal(one, c.Cost, Math.Abs(one) * 1e-9);
                }
            }
        }
    }

    [Fact]
    public void Candidate_cost_of_a_nonlinear_model_is_the_secant_over_the_units_width()
    {
        var net = new GrowableNetwork(NetworkArchitectures.Create("mobilenet", 1, 28, 28, 10, 0.25), new Generator(1));
        var stepped = new SteppedCostModel();
        var indices = SplitPlannerTests.FakeIndices(net, 4, withMax: false);
        var cands = SplitPlanner.Candidates(net, indices, stepped, signed: false, 0.5);
        double baseCost = net.Cost(stepped);
        foreach (var layer in indices)
        {
            var widths = net.Widths();
            widths[layer.UnitIndex] *= 2;
            double secant = (net.Cost(stepped, widths) - baseCost) / layer.Width;
            Assert.All(cands.Where(c => c.Layer == layer.UnitIndex), c => Assert.Equal(secant, c.Cost, 12));
        }
        // The one-channel difference would differ (most +1 steps stay inside a 16-channel block and cost 0).
        Assert.Contains(cands, c => c.Cost > 0);
    }

    [Theory]
    [InlineData("mobilenet")]
    [InlineData("vgg")]
    public void Bisection_drop_keeps_the_plan_of_dropping_the_worst_one_at_a_time(string name)
    {
        int instancesWithDrops = 0;
        for (int seed = 0; seed < 6; seed++)
        {
            var net = new GrowableNetwork(NetworkArchitectures.Create(name, 1, 28, 28, 10, 0.25), new Generator(1));
            var indices = SplitPlannerTests.FakeIndices(net, seed, withMax: true);
            double budget = (0.1 + (0.05 * seed)) * net.Cost(Macs);
            SplitPlanner.Plan(net, indices, Macs, budget, signed: true, 0.5, out var sel);

            // The previous rule, written out: select, then drop the lowest gain/cost one at a time until it fits.
            var cands = SplitPlanner.Candidates(net, indices, Macs, signed: true, 0.5);
            var caps = indices.ToDictionary(l => l.UnitIndex, l => l.Width);
            var chosen = EnergyAwareSelector.Select(cands, budget, caps).Chosen.ToList();
            double baseCost = net.Cost(Macs);
            int dropped = 0;
            while (chosen.Count > 0 && SplitPlanner.TrueCost(net, Macs, chosen) - baseCost > budget)
            {
                chosen.Remove(chosen.OrderBy(c => c.Cost == 0 ? double.PositiveInfinity : c.Gain / c.Cost).First());
                dropped++;
            }
            Assert.Equal(chosen, sel.Chosen);
            Assert.Equal(chosen.Sum(c => c.Gain), sel.TotalGain, 12);
            Assert.NotEmpty(sel.Chosen);
            instancesWithDrops += dropped > 0 ? 1 : 0;
        }
        // The instances must exercise the drop, or this test would compare untouched selections.
        Assert.True(instancesWithDrops > 0, $"{name}: no instance needed a drop");
    }

    [Theory]
    [InlineData("mobilenet", 0.2)]
    [InlineData("vgg", 0.1)]
    public void Energy_plan_keeps_both_the_energy_budget_and_the_mac_cap(string name, double share)
    {
        for (int seed = 0; seed < 3; seed++)
        {
            var net = new GrowableNetwork(NetworkArchitectures.Create(name, 1, 28, 28, 10, 0.25), new Generator(1));
            double energy0 = net.Cost(Energy), macs0 = net.Macs();
            double budget = share * energy0, macCap = 0.5 * share * macs0;
            var indices = SplitPlannerTests.FakeIndices(net, seed, withMax: false);
            var free = SplitPlanner.Plan(net, indices, Energy, budget, false, 0.5, out _);
            var capped = SplitPlanner.Plan(net, indices, Energy, budget, false, 0.5, out var sel, macCap);
            Assert.NotEmpty(capped);
            Assert.True(capped.Count < free.Count, $"{name} seed {seed}: the MAC cap removed nothing");
            NeuronSplitter.Apply(net, capped, 0.01f);
            Assert.True(net.Cost(Energy) - energy0 <= budget, $"energy grew {net.Cost(Energy) - energy0} > {budget}");
            Assert.True(net.Macs() - macs0 <= macCap, $"MACs grew {net.Macs() - macs0} > {macCap}");
            Assert.True(sel.TotalCost <= budget + 1e-9);
        }
    }

    [Fact]
    public void Round_budget_is_todays_mac_rule_exactly_and_scales_other_costs()
    {
        var rng = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            long macs = rng.NextInt64(1000, 50_000_000);
            double growth = rng.NextDouble() * 1.5;
            double target = macs * (0.5 + (rng.NextDouble() * 3));
            double old = Math.Min(growth * macs, target - macs);
            double expected = old > 0 ? old : 0;
            Assert.Equal(expected, GrowthRun.RoundBudget(macs, macs, growth, target));
            double energy = rng.NextDouble() * 100;
            double ratio = macs >= target ? 0 : Math.Min(growth, (target - macs) / macs);
            Assert.Equal(energy * ratio, GrowthRun.RoundBudget(energy, macs, growth, target), 1e-12 * energy);
        }
        Assert.Equal(0, GrowthRun.RoundBudget(5.0, 100, 0.5, 100));
        Assert.Equal(0, GrowthRun.RoundBudget(5.0, 120, 0.5, 100));
        Assert.Equal(2.5, GrowthRun.RoundBudget(5.0, 100, 0.5, 1000), 12);
        Assert.Equal(1.0, GrowthRun.RoundBudget(5.0, 100, 0.5, 120), 12);
    }

    /// <summary>A cost that moves in steps of 16 output channels (like vector-width effects of a real latency).
    /// </summary>
    private sealed class SteppedCostModel : ICostModel
    {
        public string Name => "stepped";

        public string Unit => "ms";

        public double Cost(OperationConfig operation) =>
            1e-3 * Math.Ceiling(operation.OutChannels / 16.0) * (operation.InChannels + 1) * operation.Height;
    }
}

using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Splitting;

/// <summary>Splits preserve the function at ε = 0 (rewiring, BN copy, depthwise duplication) and change the loss by
/// (ε²/2)·λ at second order (splitting.md §1.3, §5.2).</summary>
public class SplitFunctionTests
{
    /// <summary>Both architectures on a small grey input and on the 3×32×32 input of CIFAR-10 (issue 5 §6).</summary>
    public static TheoryData<string, int, int> ArchitecturesAndInputs => new()
    {
        { "mobilenet", 1, 12 },
        { "vgg", 1, 12 },
        { "mobilenet", 3, 32 },
        { "vgg", 3, 32 },
    };

    [Theory]
    [MemberData(nameof(ArchitecturesAndInputs))]
    public void Split_with_zero_epsilon_preserves_the_outputs(string name, int channels, int size)
    {
        var spec = NetworkArchitectures.Create(name, channels, size, size, 5, 0.125);
        var net = new GrowableNetwork(spec, new Generator(3));
        SplitTestNets.Perturb(net, 4);
        var batch = SplitTestNets.RandomBatch(4, channels, size, 5, 9);
        var before = SplitTestNets.Logits(net, batch);
        var g = new Generator(8);
        var actions = new List<SplitAction>();
        var schemes = new[] { SplitScheme.Positive, SplitScheme.Negative, SplitScheme.Combined };
        foreach (int u in net.SplittableIndices)
        {
            var unit = net.Splittable(u);
            for (int j = 0; j < Math.Min(3, unit.OutWidth); j++)
            {
                var v = new float[unit.FanIn];
                var w = new float[unit.FanIn];
                g.FillNormal(v);
                g.FillNormal(w);
                actions.Add(new SplitAction(u, j, schemes[(u + j) % 3], v, w));
            }
        }
        long macs = net.Macs();
        NeuronSplitter.Apply(net, actions, epsilon: 0f, negativeMass: 0.7f);
        Assert.True(net.Macs() > macs);
        var after = SplitTestNets.Logits(net, batch);
        double scale = before.Max(Math.Abs);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(after[i] - before[i]) <= 1e-4 * Math.Max(1, scale),
                $"{name} logit {i}: {before[i]:G7} before, {after[i]:G7} after the split");
        }
        // The grown network is a valid network of its own spec (widths recorded) and trains.
        var rebuilt = new GrowableNetwork(net.Spec, new Generator(1));
        Assert.Equal(net.Widths(), rebuilt.Widths());
    }

    [Theory]
    [InlineData(SplitScheme.Positive)]
    [InlineData(SplitScheme.Negative)]
    public void Loss_change_matches_half_epsilon_squared_lambda_at_two_epsilons(SplitScheme scheme)
    {
        const float a = 0.5f;
        var batch = SplitTestNets.RandomBatch(6, 1, 8, 4, 17);
        var probe = Net();
        var layers = ExactSplitting.Estimate(probe, [batch]);
        // The neuron with the largest predicted effect for this scheme.
        var (unit, neuron, lambda) = layers
            .SelectMany(l => Enumerable.Range(0, l.Width).Select(j => (l.UnitIndex, j,
                scheme == SplitScheme.Positive ? l.LambdaMin[j] : -a * l.LambdaMax![j])))
            .OrderBy(t => t.Item3).First();
        Assert.True(lambda < 0, "test setup: no neuron with a descent direction");
        var layer = layers.Single(l => l.UnitIndex == unit);
        double loss0 = SplitTestNets.Loss(probe, batch);
        double eps1 = Math.Sqrt(2 * 2e-3 / -lambda);
        var ratios = new List<double>();
        var changes = new List<double>();
        foreach (double eps in new[] { eps1, eps1 / 2 })
        {
            var net = Net();
            var act = new SplitAction(unit, neuron, scheme, layer.MinVector(neuron), layer.MaxVector(neuron));
            NeuronSplitter.Apply(net, [act], (float)eps, a);
            double change = SplitTestNets.Loss(net, batch) - loss0;
            double predicted = eps * eps / 2 * lambda;
            changes.Add(change);
            ratios.Add(change / predicted);
        }
        Assert.True(Math.Abs(ratios[0] - 1) < 0.05 && Math.Abs(ratios[1] - 1) < 0.03,
            $"{scheme}: measured/predicted ΔL = {ratios[0]:F4} at ε={eps1:G3}, {ratios[1]:F4} at ε/2");
        Assert.InRange(changes[0] / changes[1], 3.8, 4.2);
    }

    private static GrowableNetwork Net() => SplitTestNets.Build(1, 8, 4, 31,
        new UnitSpec(UnitKinds.Conv, 6, 3, 1),
        new UnitSpec(UnitKinds.Depthwise, 0, 3, 2),
        new UnitSpec(UnitKinds.Conv, 6, 1, 1),
        new UnitSpec(UnitKinds.GlobalPool),
        new UnitSpec(UnitKinds.Linear, 5),
        new UnitSpec(UnitKinds.Classifier, 4));
}

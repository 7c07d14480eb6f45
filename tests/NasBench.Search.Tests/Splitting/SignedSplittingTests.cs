using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Tests.Splitting;

/// <summary>splitting.md §8: at a splitting-stable neuron (λ_min ≥ 0) the S2D split cannot lower the loss, while the
/// signed split along v_max with negative output weights does.</summary>
public class SignedSplittingTests
{
    [Fact]
    public void Signed_split_lowers_the_loss_where_plain_splitting_cannot()
    {
        const float a = 0.5f;
        var batch = SplitTestNets.RandomBatch(16, 1, 4, 3, 41);
        // A 2-input hidden layer: small d makes positive-definite splitting matrices common. Scan seeds for one.
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var probe = Net(seed);
            var hidden = ExactSplitting.Estimate(probe, [batch]).Single(l => l.UnitIndex == 2);
            int j = Array.FindIndex(hidden.LambdaMin, l => l > 1e-3);
            if (j < 0)
            {
                continue;
            }
            double lmin = hidden.LambdaMin[j], lmax = hidden.LambdaMax![j];
            double loss0 = SplitTestNets.Loss(probe, batch);
            double eps = Math.Sqrt(2 * 1e-3 / lmax);

            var plain = Net(seed);
            NeuronSplitter.Apply(plain, [new SplitAction(2, j, SplitScheme.Positive, hidden.MinVector(j), null)],
                (float)eps, a);
            double plainChange = SplitTestNets.Loss(plain, batch) - loss0;

            var signed = Net(seed);
            NeuronSplitter.Apply(signed, [new SplitAction(2, j, SplitScheme.Negative, null, hidden.MaxVector(j))],
                (float)eps, a);
            double signedChange = SplitTestNets.Loss(signed, batch) - loss0;

            Assert.True(plainChange > 0, $"seed {seed}: S2D split changed the loss by {plainChange:G4} (λ_min {lmin:G4})");
            Assert.True(signedChange < 0, $"seed {seed}: signed split changed the loss by {signedChange:G4}");
            Assert.InRange(plainChange / (eps * eps / 2 * lmin), 0.9, 1.1);
            Assert.InRange(signedChange / (-a * eps * eps / 2 * lmax), 0.9, 1.1);
            return;
        }
        Assert.Fail("no splitting-stable neuron found in 40 seeds");
    }

    private static GrowableNetwork Net(ulong seed) => SplitTestNets.Build(1, 4, 3, seed,
        new UnitSpec(UnitKinds.Conv, 2, 1, 1),
        new UnitSpec(UnitKinds.GlobalPool),
        new UnitSpec(UnitKinds.Linear, 6),
        new UnitSpec(UnitKinds.Classifier, 3));
}

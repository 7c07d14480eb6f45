using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Tests.Splitting;

/// <summary>The fast Rayleigh-quotient λ_min and λ_max against the exact eigen-decomposition, on one fixed batch (so
/// both see the same S), for units with d = 576 (3×3 conv over 64 channels), 36 (3×3 conv) and 16 (linear).</summary>
public class FastSplittingAccuracyTests
{
    /// <summary>The stated budget: 10 power iterations + 100 Rayleigh steps (β = 0.9) + 1 frozen-v pass
    /// (111 back-props).</summary>
    public static readonly FastSplitOptions Stated = new(PowerIterations: 10, Iterations: 100, StepSize: 0.45f,
        Momentum: 0.9f, EstimateMax: true);

    [Fact]
    public void Fast_eigenvalues_are_within_2_percent_of_exact_up_to_d_576()
    {
        var net = SplitTestNets.Build(64, 5, 10, 21,
            new UnitSpec(UnitKinds.Conv, 4, 3, 1),
            new UnitSpec(UnitKinds.Conv, 16, 3, 1),
            new UnitSpec(UnitKinds.GlobalPool),
            new UnitSpec(UnitKinds.Linear, 6),
            new UnitSpec(UnitKinds.Classifier, 10));
        var batch = SplitTestNets.RandomBatch(12, 64, 5, 10, 5);
        var exact = ExactSplitting.Estimate(net, [batch]);
        var fast = FastSplitting.Estimate(net, [batch], Stated);
        Assert.Equal([576, 36, 16], exact.Select(l => l.FanIn));
        int compared = 0;
        for (int l = 0; l < exact.Count; l++)
        {
            for (int j = 0; j < exact[l].Width; j++)
            {
                double min = exact[l].LambdaMin[j], max = exact[l].LambdaMax![j];
                double spread = Math.Max(Math.Abs(min), Math.Abs(max));
                Check("λ_min", min, fast[l].LambdaMin[j]);
                Check("λ_max", max, fast[l].LambdaMax![j]);
                // A Rayleigh quotient lies inside the spectrum.
                Assert.True(fast[l].LambdaMin[j] >= min - (1e-4 * spread) && fast[l].LambdaMax![j] <= max + (1e-4 * spread));
                compared++;

                void Check(string what, double want, double got)
                {
                    // An eigenvalue ≈ 0 has no relative scale; it is held to 2 % of 1e-3 of the spectral radius.
                    double tolerance = 0.02 * Math.Max(Math.Abs(want), 1e-3 * spread);
                    Assert.True(Math.Abs(got - want) <= tolerance,
                        $"unit {exact[l].UnitIndex} (d = {exact[l].FanIn}) neuron {j}: fast {what} {got:G6}, exact "
                        + $"{want:G6} (spectrum [{min:G4}, {max:G4}])");
                }
            }
        }
        Assert.Equal(4 + 16 + 6, compared);
    }
}

using NasBench.Hardware.Cost;
using NasBench.Search.Darts.Search;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Tests.Darts.Search;

public class ComplexityPenaltyTests
{
    private static (Parameter Normal, Parameter Reduce) Alphas(int seed)
    {
        var g = new Generator((ulong)seed);
        var n = new Parameter(Tensor.Randn(g, 14, 8));
        var r = new Parameter(Tensor.Randn(g, 14, 8));
        return (n, r);
    }

    public static TheoryData<string> Forms => new() { "additive:0.002", "fbnet", "mul#log", "add#linear:0.3" };

    /// <summary>With CE linear in α (gradient g), the penalty must turn g into ∇_α L(CE(α), LAT(α)); checked against
    /// central differences of L itself.</summary>
    [Theory]
    [MemberData(nameof(Forms))]
    public void Hardware_loss_gradient_matches_finite_differences(string formText)
    {
        var table = ArchitectureCostTable.Build(TinySearch.Config, new TinySearch.ConvolutionCost());
        var (an, ar) = Alphas(3);
        const double ce0 = 1.7, fixedCost = 40;
        var penalty = new ComplexityPenalty(table, lambda: 1, maxRelativeNorm: 1e9)
        {
            Form = HardwareLossForm.Parse(formText, reference: 120),
            FixedCost = fixedCost,
        };
        var gn = Alphas(4).Normal.ToArray();
        var gr = Alphas(5).Normal.ToArray();
        var a0n = an.ToArray();
        var a0r = ar.ToArray();
        double Loss()
        {
            double ce = ce0;
            var n = an.AsReadOnlySpan();
            var r = ar.AsReadOnlySpan();
            for (int i = 0; i < n.Length; i++)
            {
                ce += (gn[i] * (n[i] - a0n[i])) + (gr[i] * (r[i] - a0r[i]));
            }
            return penalty.Form!.Evaluate(ce, fixedCost + penalty.ExpectedCost(an, ar)).Loss;
        }
        an.Grad = Tensor.FromArray(gn, 14, 8).DetachFromScope();
        ar.Grad = Tensor.FromArray(gr, 14, 8).DetachFromScope();
        penalty.AddGradient(an, ar, epoch: 0, crossEntropy: ce0);
        var analytic = an.Grad.ToArray();
        var span = an.AsSpan();
        for (int k = 0; k < span.Length; k += 3)
        {
            float original = span[k];
            span[k] = original + 1e-3f;
            double up = Loss();
            span[k] = original - 1e-3f;
            double down = Loss();
            span[k] = original;
            double numeric = (up - down) / 2e-3;
            Assert.True(Math.Abs(analytic[k] - numeric) <= 2e-3 * (1 + Math.Abs(numeric)),
                $"{formText} α[{k}]: analytic {analytic[k]}, numeric {numeric}");
        }
    }

    [Fact]
    public void None_column_gets_no_cost_gradient()
    {
        var table = ArchitectureCostTable.Build(TinySearch.Config, new TinySearch.ConvolutionCost());
        var (an, ar) = Alphas(7);
        an.Grad = Tensor.Full(0.5f, 14, 8).DetachFromScope();
        ar.Grad = Tensor.Full(1f, 14, 8).DetachFromScope();
        new ComplexityPenalty(table, lambda: 1, maxRelativeNorm: 1e9).AddGradient(an, ar, epoch: 0);
        var g = an.Grad.ToArray();
        for (int e = 0; e < 14; e++)
        {
            Assert.Equal(0.5f, g[e * 8]); // none: accuracy gradient only
        }
        Assert.Contains(g, v => v != 0.5f);
    }
}

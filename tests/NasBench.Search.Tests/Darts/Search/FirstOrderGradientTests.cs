using NasBench.Search.Darts.Search;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts.Search;

public class FirstOrderGradientTests
{
    [Fact]
    public void First_order_alpha_gradient_matches_finite_differences()
    {
        var net = TinySearch.Supernet(5);
        var search = new DartsBlockSearch(net, new DartsSearchOptions(Epochs: 1));
        var (xv, yv) = TinySearch.Batch(2);
        search.ComputeAlphaGradient(xv, yv);
        var analytic = net.AlphaNormal.Grad!.ToArray();
        double Loss()
        {
            using (Tensor.NoGrad())
            using (TensorScope.Enter())
            {
                return Functional.CrossEntropy(net.Forward(xv), yv).Item();
            }
        }
        var alpha = net.AlphaNormal.AsSpan();
        double dot = 0, na = 0, nn = 0;
        // Every fifth entry keeps the check to a few seconds while touching every edge.
        for (int k = 0; k < alpha.Length; k += 5)
        {
            float original = alpha[k];
            alpha[k] = original + 2e-2f;
            double up = Loss();
            alpha[k] = original - 2e-2f;
            double down = Loss();
            alpha[k] = original;
            double numeric = (up - down) / 4e-2;
            dot += analytic[k] * numeric;
            na += analytic[k] * (double)analytic[k];
            nn += numeric * numeric;
        }
        Assert.True(dot / Math.Sqrt(na * nn) > 0.995, $"cosine {dot / Math.Sqrt(na * nn):F4}, ratio {Math.Sqrt(na / nn):F3}");
    }
}

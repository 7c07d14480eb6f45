using NasBench.Search.Darts.Search;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts.Search;

public class FirstOrderGradientTests
{
    [Fact]
    public void Alpha_gradient_is_the_same_bit_for_bit_without_the_weight_gradients()
    {
        // The search freezes the weights for α's pass; a twin network (same seed) runs the plain backward, which
        // also computes every weight gradient, as the reference implementation does.
        var net = TinySearch.Supernet(5);
        var twin = TinySearch.Supernet(5);
        var search = new DartsBlockSearch(net, new DartsSearchOptions(Epochs: 1));
        var (xv, yv) = TinySearch.Batch(2);
        search.ComputeAlphaGradient(xv, yv);
        using (TensorScope.Enter())
        {
            Functional.CrossEntropy(twin.Forward(xv), yv).Backward();
        }
        Assert.Equal(twin.AlphaNormal.Grad!.ToArray(), net.AlphaNormal.Grad!.ToArray());
        Assert.Equal(twin.AlphaReduce.Grad!.ToArray(), net.AlphaReduce.Grad!.ToArray());
        Assert.Contains(twin.WeightParameters(), p => p.Grad is not null && p.Grad.ToArray().Any(v => v != 0));
        // The weights require grad again afterwards, and the α pass left no weight gradient behind.
        Assert.All(net.WeightParameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(net.WeightParameters(), p => Assert.True(p.Grad is null || p.Grad.ToArray().All(v => v == 0)));
    }

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

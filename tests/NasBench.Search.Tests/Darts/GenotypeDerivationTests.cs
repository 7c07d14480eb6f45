using NasBench.Search.Darts;

namespace NasBench.Search.Tests.Darts;

public class GenotypeDerivationTests
{
    private const int Ops = 8;
    private const int Edges = 14;

    private static float[] Uniform() => new float[Edges * Ops];

    private static int EdgeIndex(int node, int source) => (node * (node + 3) / 2) + source; // node counts from 0

    [Fact]
    public void Keeps_the_two_strongest_edges_and_their_best_op()
    {
        var a = Uniform();
        // Node 0 (edges from 0, 1): both boosted; node 1 (from 0, 1, 2): sources 2 and 0 boosted, 2 more strongly.
        a[(EdgeIndex(0, 0) * Ops) + 4] = 3;
        a[(EdgeIndex(0, 1) * Ops) + 7] = 2;
        a[(EdgeIndex(1, 2) * Ops) + 6] = 5;
        a[(EdgeIndex(1, 0) * Ops) + 1] = 1;
        var g = GenotypeDerivation.Derive(a, Uniform());
        Assert.Equal(new GenotypeEdge("sep_conv_3x3", 0), g.Normal[0]);
        Assert.Equal(new GenotypeEdge("dil_conv_5x5", 1), g.Normal[1]);
        Assert.Equal(new GenotypeEdge("dil_conv_3x3", 2), g.Normal[2]);
        Assert.Equal(new GenotypeEdge("max_pool_3x3", 0), g.Normal[3]);
        Assert.Equal([2, 3, 4, 5], g.NormalConcat);
    }

    [Fact]
    public void None_is_never_chosen_and_does_not_make_an_edge_strong()
    {
        var a = Uniform();
        // Node 1 has three inputs: source 0 is dominated by none, which squeezes its real ops, so the weaker but
        // genuine preferences on sources 1 and 2 must win.
        a[(EdgeIndex(1, 0) * Ops) + 0] = 10; // none
        a[(EdgeIndex(1, 1) * Ops) + 3] = 0.5f;
        a[(EdgeIndex(1, 2) * Ops) + 2] = 0.4f;
        var g = GenotypeDerivation.Derive(a, Uniform());
        Assert.DoesNotContain(g.Normal, e => e.Operation == "none");
        Assert.Equal(new GenotypeEdge("skip_connect", 1), g.Normal[2]);
        Assert.Equal(new GenotypeEdge("avg_pool_3x3", 2), g.Normal[3]);
    }

    [Fact]
    public void Ties_go_to_the_lower_source_and_the_lower_op()
    {
        var g = GenotypeDerivation.Derive(Uniform(), Uniform());
        // All equal: every node keeps sources 0 and 1 with op index 1 (the first non-none op).
        for (int node = 0; node < 4; node++)
        {
            Assert.Equal(new GenotypeEdge("max_pool_3x3", 0), g.Reduce[2 * node]);
            Assert.Equal(new GenotypeEdge("max_pool_3x3", 1), g.Reduce[(2 * node) + 1]);
        }
    }

    [Fact]
    public void Wrong_alpha_shape_is_an_error_with_the_expected_size()
    {
        var e = Assert.Throws<ArgumentException>(() => GenotypeDerivation.Derive(new float[10], Uniform()));
        Assert.Contains("112", e.Message, StringComparison.Ordinal);
    }
}

using NasBench.Benchmarks.Comparison;

namespace NasBench.Benchmarks.Tests;

public class MannWhitneyUTests
{
    // Expected values: SciPy's mannwhitneyu(x, y, method="asymptotic") (normal approximation, continuity and tie
    // corrections), reproduced by hand from the formulas in MannWhitneyU's remarks.
    [Fact]
    public void Separated_samples_of_three_match_the_hand_computed_value()
    {
        // U1 = 0, mu = 4.5, sigma^2 = 9/12 * 7 = 5.25, z = (9 - 4.5 - 0.5)/sqrt(5.25) = 1.745743, p = 2 P(Z > z).
        var result = MannWhitneyU.Test([1, 2, 3], [4, 5, 6]);
        Assert.Equal(0, result.U);
        Assert.Equal(1.7457431218879391, result.Z, 1e-12);
        Assert.Equal(0.0808555983700523, result.PValue, 1e-7);
    }

    [Fact]
    public void SciPy_documentation_example_matches()
    {
        // scipy.stats.mannwhitneyu docs: males vs females, method="asymptotic" -> U = 17, p = 0.11134688653314041.
        var result = MannWhitneyU.Test([19, 22, 16, 29, 24], [20, 11, 17, 12]);
        Assert.Equal(17, result.U);
        Assert.Equal(0.11134688653314041, result.PValue, 1e-7);
    }

    [Fact]
    public void Ties_get_mean_ranks_and_shrink_the_variance()
    {
        // Pooled: 1 2 2 2 3 3 4 4 5 -> ranks 1, 3, 3, 3, 5.5, 5.5, 7.5, 7.5, 9; R1 = 1 + 3 + 3 + 5.5 = 12.5,
        // U1 = 12.5 - 10 = 2.5; tie term = (27-3) + (8-2) + (8-2) = 36;
        // sigma^2 = 20/12 * (10 - 36/72) = 15.8333; z = (17.5 - 10 - 0.5)/sqrt(15.8333) = 1.759186.
        var result = MannWhitneyU.Test([1, 2, 2, 3], [2, 3, 4, 4, 5]);
        Assert.Equal(2.5, result.U);
        Assert.Equal(1.759186414825121, result.Z, 1e-9);
        Assert.Equal(0.0785458509511907, result.PValue, 1e-7);
    }

    [Fact]
    public void Fifteen_iterations_each_with_no_overlap_are_highly_significant()
    {
        double[] x = Enumerable.Range(1, 15).Select(i => (double)i).ToArray();
        double[] y = Enumerable.Range(16, 15).Select(i => (double)i).ToArray();
        var result = MannWhitneyU.Test(x, y);
        Assert.Equal(4.645543592392305, result.Z, 1e-9);
        Assert.Equal(3.391821390825104e-06, result.PValue, 1e-11);
    }

    [Fact]
    public void The_test_is_symmetric_in_its_samples()
    {
        double[] x = [3.1, 2.7, 3.3, 2.9, 3.0];
        double[] y = [3.4, 3.6, 3.2, 3.5];
        var forward = MannWhitneyU.Test(x, y);
        var backward = MannWhitneyU.Test(y, x);
        Assert.Equal(forward.PValue, backward.PValue, 1e-15);
        Assert.Equal(x.Length * y.Length, forward.U + backward.U);
    }

    [Fact]
    public void All_values_tied_or_a_sample_empty_gives_p_one()
    {
        Assert.Equal(1, MannWhitneyU.Test([5, 5, 5], [5, 5, 5]).PValue);
        Assert.Equal(1, MannWhitneyU.Test([], [1, 2]).PValue);
        Assert.Equal(1, MannWhitneyU.Test([1], [2]).PValue);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Erfc_is_within_its_documented_relative_error(double x, double expected)
    {
        double actual = StandardNormal.Erfc(x);
        Assert.True(Math.Abs(actual - expected) <= 1.2e-7 * expected, $"erfc({x}) = {actual}, expected {expected}");
    }
}

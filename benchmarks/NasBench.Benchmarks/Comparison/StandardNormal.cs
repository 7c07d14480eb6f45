namespace NasBench.Benchmarks.Comparison;

/// <summary>Tail probabilities of the standard normal distribution (.NET has no <c>erfc</c>).</summary>
public static class StandardNormal
{
    /// <summary>P(Z &gt; z) for Z ~ N(0, 1).</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2.0));

    /// <summary>The complementary error function, erfc(x) = 1 − erf(x).</summary>
    /// <remarks>Chebyshev-fitted approximation from Numerical Recipes in C, 2nd ed., §6.2 (<c>erfcc</c>): fractional
    /// error below 1.2e-7 everywhere, which is far finer than any decision a p-value from a few dozen benchmark
    /// iterations supports.</remarks>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double ans = t * Math.Exp(poly);
        return x >= 0 ? ans : 2.0 - ans;
    }
}

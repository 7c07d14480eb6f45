namespace NasBench.Search.Evolution;

/// <summary>Simulated binary crossover and polynomial mutation for bounded real genes (Deb &amp; Agrawal 1995;
/// darts.md §6.1–6.2), with pymoo's defaults as the documented starting point.</summary>
public static class RealValuedOperators
{
    /// <summary>Bounded SBX per gene with probability ½; η = distribution index.</summary>
    public static (double[] First, double[] Second) SimulatedBinaryCrossover(double[] a, double[] b, double lower,
        double upper, double eta, Random random)
    {
        var c1 = (double[])a.Clone();
        var c2 = (double[])b.Clone();
        for (int i = 0; i < a.Length; i++)
        {
            if (random.NextDouble() > 0.5 || Math.Abs(a[i] - b[i]) < 1e-14)
            {
                continue;
            }
            double y1 = Math.Min(a[i], b[i]), y2 = Math.Max(a[i], b[i]);
            double u = random.NextDouble();
            c1[i] = Child(y1, y2, lower, upper, eta, u, lowerSide: true);
            c2[i] = Child(y1, y2, lower, upper, eta, u, lowerSide: false);
            if (random.NextDouble() <= 0.5)
            {
                (c1[i], c2[i]) = (c2[i], c1[i]);
            }
        }
        return (c1, c2);
    }

    private static double Child(double y1, double y2, double lower, double upper, double eta, double u, bool lowerSide)
    {
        // The bounded variant shrinks the spread so a child cannot leave [lower, upper].
        double beta = lowerSide ? 1 + (2 * (y1 - lower) / (y2 - y1)) : 1 + (2 * (upper - y2) / (y2 - y1));
        double alpha = 2 - Math.Pow(beta, -(eta + 1));
        double betaQ = u <= 1 / alpha
            ? Math.Pow(u * alpha, 1 / (eta + 1))
            : Math.Pow(1 / (2 - (u * alpha)), 1 / (eta + 1));
        double c = lowerSide ? 0.5 * (y1 + y2 - (betaQ * (y2 - y1))) : 0.5 * (y1 + y2 + (betaQ * (y2 - y1)));
        return Math.Clamp(c, lower, upper);
    }

    /// <summary>Bounded polynomial mutation of each gene with probability <paramref name="probability"/>.</summary>
    public static double[] PolynomialMutation(double[] x, double lower, double upper, double eta, double probability,
        Random random)
    {
        var y = (double[])x.Clone();
        double range = upper - lower;
        for (int i = 0; i < y.Length; i++)
        {
            if (random.NextDouble() >= probability)
            {
                continue;
            }
            double d1 = (y[i] - lower) / range, d2 = (upper - y[i]) / range;
            double u = random.NextDouble(), power = 1 / (eta + 1);
            double deltaQ = u < 0.5
                ? Math.Pow((2 * u) + ((1 - (2 * u)) * Math.Pow(1 - d1, eta + 1)), power) - 1
                : 1 - Math.Pow((2 * (1 - u)) + (2 * (u - 0.5) * Math.Pow(1 - d2, eta + 1)), power);
            y[i] = Math.Clamp(y[i] + (deltaQ * range), lower, upper);
        }
        return y;
    }
}

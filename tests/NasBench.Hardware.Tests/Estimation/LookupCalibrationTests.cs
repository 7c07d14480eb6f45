using NasBench.Hardware.Estimation;

namespace NasBench.Hardware.Tests.Estimation;

public class LookupCalibrationTests
{
    [Fact]
    public void Recovers_a_known_intercept_and_scale()
    {
        double[] lookup = [0.5, 0.7, 0.9, 1.2, 0.6];
        var measured = lookup.Select(l => 0.15 + (1.3 * l)).ToArray();
        var fit = LookupCalibration.Fit(lookup, measured);
        Assert.Equal(0.15, fit.InterceptMs, 9);
        Assert.Equal(1.3, fit.Scale, 9);
        Assert.Equal(5, fit.Networks);
        Assert.Equal(0.15 + (1.3 * 2.0), fit.Apply(2.0), 9);
    }

    [Fact]
    public void Minimises_the_squared_relative_error()
    {
        var rng = new Random(3);
        var lookup = Enumerable.Range(0, 30).Select(_ => 0.4 + rng.NextDouble()).ToArray();
        var measured = lookup.Select(l => (0.1 + (1.25 * l)) * (0.85 + (0.3 * rng.NextDouble()))).ToArray();
        var fit = LookupCalibration.Fit(lookup, measured);
        double Objective(double a, double k) =>
            lookup.Zip(measured).Sum(p => Math.Pow((a + (k * p.First) - p.Second) / p.Second, 2));
        double best = Objective(fit.InterceptMs, fit.Scale);
        foreach (var (da, dk) in new[] { (1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3), (1e-3, -1e-3) })
        {
            Assert.True(Objective(fit.InterceptMs + da, fit.Scale + dk) > best, $"({da}, {dk}) does better");
        }
        // The absolute least-squares line is a different, worse fit in relative terms.
        double mx = lookup.Average(), my = measured.Average();
        double k2 = lookup.Zip(measured).Sum(p => (p.First - mx) * (p.Second - my)) / lookup.Sum(l => (l - mx) * (l - mx));
        Assert.True(Objective(my - (k2 * mx), k2) > best);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LookupCalibration.Fit([1.0], [1.0]));
        Assert.Throws<ArgumentException>(() => LookupCalibration.Fit([1.0, 2.0], [1.0]));
        Assert.Throws<ArgumentException>(() => LookupCalibration.Fit([1.0, -2.0], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => LookupCalibration.Fit([1.0, 1.0, 1.0], [1.0, 1.0, 1.0]));
    }
}

namespace NasBench.Tensors.Tests;

public class SmoothActivationTests
{
    [Fact]
    public void Swish_gradient_matches_finite_differences()
    {
        var x = Tensor.Randn(new Generator(5), 3, 4, 5).Mul(2f).DetachFromScope();
        GradCheck.Check(t => SmoothActivation.Swish(t[0]), [x]);
    }

    [Fact]
    public void Swish_values_and_second_derivative_match_double_precision_formulas()
    {
        var values = new[] { -6f, -2.5f, -1f, -0.1f, 0f, 0.3f, 1f, 2f, 7f };
        var x = Tensor.FromArray(values, values.Length);
        var y = SmoothActivation.Swish(x).ToArray();
        var s2 = SmoothActivation.SwishSecondDerivative(x).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            double a = values[i];
            static double F(double t) => t / (1 + Math.Exp(-t));
            const double h = 1e-4;
            double second = (F(a + h) - (2 * F(a)) + F(a - h)) / (h * h);
            Assert.Equal(F(a), y[i], 5);
            Assert.True(Math.Abs(s2[i] - second) < 1e-3, $"σ''({a}): {s2[i]} vs finite differences {second}");
            double first = (F(a + h) - F(a - h)) / (2 * h);
            Assert.True(Math.Abs(SmoothActivation.SwishDerivative(values[i]) - first) < 1e-5);
        }
    }
}

using NasBench.Tensors;

namespace NasBench.Tensors.Tests;

/// <summary>Checks an op's analytic gradients against central finite differences.</summary>
/// <remarks>The scalar probed is L = Σ f(x)·R with a fixed random R, accumulated in double; the analytic side is one
/// Backward(R). Inputs should keep away from kinks (ReLU at 0, max-pool ties) by more than the step.</remarks>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double step = 1e-2, double atol = 2e-3,
        double rtol = 2e-2, ulong seed = 12345)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.ZeroGrad();
        }
        var y = f(inputs);
        var probe = Tensor.Randn(new Generator(seed), y.Shape);
        y.Backward(probe);
        var r = probe.ToArray();

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            Assert.True(x.Grad is not null, $"input {k} received no gradient");
            var analytic = x.Grad!.ToArray();
            var data = x.AsSpan();
            double maxNumeric = 0;
            var numeric = new double[data.Length];
            for (int i = 0; i < data.Length; i++)
            {
                float saved = data[i];
                data[i] = (float)(saved + step);
                double plus = Probe(f, inputs, r);
                data = x.AsSpan();
                data[i] = (float)(saved - step);
                double minus = Probe(f, inputs, r);
                data = x.AsSpan();
                data[i] = saved;
                numeric[i] = (plus - minus) / (2 * step);
                maxNumeric = Math.Max(maxNumeric, Math.Abs(numeric[i]));
            }
            for (int i = 0; i < numeric.Length; i++)
            {
                double tolerance = atol + (rtol * Math.Max(Math.Abs(numeric[i]), 0.1 * maxNumeric));
                Assert.True(Math.Abs(analytic[i] - numeric[i]) <= tolerance,
                    $"input {k} ({x.ShapeString}) element {i}: analytic {analytic[i]:G6}, numeric {numeric[i]:G6}");
            }
        }
    }

    private static double Probe(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] r)
    {
        using (Tensor.NoGrad())
        {
            var y = f(inputs).AsReadOnlySpan();
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
            {
                sum += (double)y[i] * r[i];
            }
            return sum;
        }
    }

    /// <summary>Normal values pushed away from zero by at least <paramref name="margin"/> (ReLU kinks).</summary>
    public static Tensor AwayFromZero(Generator g, float margin, params int[] shape)
    {
        var t = Tensor.Randn(g, shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            s[i] += s[i] >= 0 ? margin : -margin;
        }
        return t;
    }

    /// <summary>Distinct values spaced 0.1 apart in random order (no max-pool near-ties).</summary>
    public static Tensor Distinct(Generator g, params int[] shape)
    {
        var t = Tensor.Empty(shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (i - (s.Length / 2)) * 0.1f;
        }
        for (int i = s.Length - 1; i > 0; i--)
        {
            int j = g.NextInt(i + 1);
            (s[i], s[j]) = (s[j], s[i]);
        }
        return t;
    }
}

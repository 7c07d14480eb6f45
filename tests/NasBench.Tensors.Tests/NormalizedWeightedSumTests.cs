using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Tests;

public class NormalizedWeightedSumTests
{
    /// <summary>A training-mode norm, no norm, and an evaluation-mode norm with non-trivial running statistics.
    /// </summary>
    private static BatchNorm2d?[] Norms(int channels, ulong seed)
    {
        var train = new BatchNorm2d(channels, affine: false);
        var eval = new BatchNorm2d(channels, affine: false);
        var g = new Generator(seed);
        Tensor.Randn(g, channels).AsReadOnlySpan().CopyTo(eval.RunningMean!.AsSpan());
        var rv = eval.RunningVar!.AsSpan();
        var noise = Tensor.Rand(g, channels).AsReadOnlySpan();
        for (int c = 0; c < channels; c++)
        {
            rv[c] = 0.5f + (2 * noise[c]);
        }
        eval.Eval();
        return [train, null, eval];
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var g = new Generator(3);
        var norms = Norms(3, 4);
        // Spreads of 1–3 so each normalisation matters; weights positive like a softmax.
        GradCheck.Check(x => Functional.NormalizedWeightedSum([x[0], x[1], x[2]], x[3], norms),
            [Tensor.Randn(g, 2, 3, 3, 3) * 2f, Tensor.Randn(g, 2, 3, 3, 3), Tensor.Randn(g, 2, 3, 3, 3) * 3f,
                Tensor.Rand(g, 3) + 0.2f],
            step: 1e-2, atol: 3e-3, rtol: 3e-2);
    }

    [Fact]
    public void Equals_each_norm_then_weighted_sum()
    {
        const int channels = 5;
        var g = new Generator(5);
        var xs = new[] { Tensor.Randn(g, 4, channels, 6, 6) * 2f + 1f, Tensor.Randn(g, 4, channels, 6, 6),
            Tensor.Randn(g, 4, channels, 6, 6) - 0.5f };
        var w = Tensor.Rand(g, 3) + 0.1f;
        var dy = Tensor.Randn(g, 4, channels, 6, 6);
        var fusedNorms = Norms(channels, 6);
        var plainNorms = Norms(channels, 6);

        var (fusedY, fusedDx, fusedDw) = Run(inputs => Functional.NormalizedWeightedSum(inputs, w, fusedNorms));
        var (plainY, plainDx, plainDw) = Run(inputs => Functional.WeightedSum(
            inputs.Select((x, j) => plainNorms[j] is { } bn ? bn.Forward(x) : x).ToArray(), w));

        AssertClose(plainY, fusedY, 2e-5f, "y");
        for (int j = 0; j < xs.Length; j++)
        {
            AssertClose(plainDx[j], fusedDx[j], 2e-5f, $"dx[{j}]");
        }
        AssertClose(plainDw, fusedDw, 1e-4f, "dw");
        // The training norm moved its running statistics exactly as the layer would; the evaluation norm did not.
        AssertClose(plainNorms[0]!.RunningMean!.ToArray(), fusedNorms[0]!.RunningMean!.ToArray(), 1e-6f, "mean");
        AssertClose(plainNorms[0]!.RunningVar!.ToArray(), fusedNorms[0]!.RunningVar!.ToArray(), 1e-6f, "var");
        Assert.NotEqual(0f, fusedNorms[0]!.RunningMean!.ToArray().Max(MathF.Abs));
        AssertClose(plainNorms[2]!.RunningVar!.ToArray(), fusedNorms[2]!.RunningVar!.ToArray(), 0f, "eval var");

        (float[] Y, float[][] Dx, float[] Dw) Run(Func<Tensor[], Tensor> f)
        {
            var inputs = xs.Select(x => x.Detach().RequireGrad()).ToArray();
            w.RequiresGrad = true;
            w.ZeroGrad();
            var y = f(inputs);
            y.Backward(dy);
            return (y.ToArray(), inputs.Select(x => x.Grad!.ToArray()).ToArray(), w.Grad!.ToArray());
        }
    }

    [Fact]
    public void Addend_is_added_bit_for_bit_and_gets_the_output_gradient()
    {
        const int channels = 3;
        var g = new Generator(8);
        var xs = new[] { Tensor.Randn(g, 2, channels, 5, 5) * 2f, Tensor.Randn(g, 2, channels, 5, 5),
            Tensor.Randn(g, 2, channels, 5, 5) + 1f };
        var addend = Tensor.Randn(g, 2, channels, 5, 5);
        var w = Tensor.Rand(g, 3) + 0.1f;
        var dy = Tensor.Randn(g, 2, channels, 5, 5);
        var (plainY, plainDx, plainDw, _) = Run(null);
        var (fusedY, fusedDx, fusedDw, dAddend) = Run(addend);
        var a = addend.ToArray();
        Assert.Equal(a.Zip(plainY, (p, q) => p + q).ToArray(), fusedY);
        for (int j = 0; j < xs.Length; j++)
        {
            Assert.Equal(plainDx[j], fusedDx[j]);
        }
        Assert.Equal(plainDw, fusedDw);
        Assert.Equal(dy.ToArray(), dAddend);
        var ex = Assert.Throws<ArgumentException>(() => Functional.NormalizedWeightedSum(xs, w, Norms(channels, 9),
            Tensor.Randn(g, 2, channels, 4, 4)));
        Assert.Contains("addend", ex.Message, StringComparison.Ordinal);

        (float[] Y, float[][] Dx, float[] Dw, float[]? DAddend) Run(Tensor? add)
        {
            var inputs = xs.Select(x => x.Detach().RequireGrad()).ToArray();
            var summand = add?.Detach().RequireGrad();
            w.RequiresGrad = true;
            w.ZeroGrad();
            var y = Functional.NormalizedWeightedSum(inputs, w, Norms(channels, 9), summand);
            y.Backward(dy);
            return (y.ToArray(), inputs.Select(x => x.Grad!.ToArray()).ToArray(), w.Grad!.ToArray(),
                summand?.Grad!.ToArray());
        }
    }

    [Fact]
    public void Gradients_with_an_addend_match_finite_differences()
    {
        var g = new Generator(10);
        var norms = Norms(3, 11);
        GradCheck.Check(x => Functional.NormalizedWeightedSum([x[0], x[1], x[2]], x[3], norms, x[4]),
            [Tensor.Randn(g, 2, 3, 3, 3) * 2f, Tensor.Randn(g, 2, 3, 3, 3), Tensor.Randn(g, 2, 3, 3, 3) * 3f,
                Tensor.Rand(g, 3) + 0.2f, Tensor.Randn(g, 2, 3, 3, 3)],
            step: 1e-2, atol: 3e-3, rtol: 3e-2);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var g = new Generator(7);
        var x = Tensor.Randn(g, 2, 3, 4, 4);
        var w = Tensor.Rand(g, 2);
        var affine = new BatchNorm2d(3);
        var ex = Assert.Throws<ArgumentException>(() => Functional.NormalizedWeightedSum([x, x], w, [affine, null]));
        Assert.Contains("affine", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Functional.NormalizedWeightedSum([x, x], w, [null]));
        Assert.Contains("norms", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            Functional.NormalizedWeightedSum([x, x], w, [new BatchNorm2d(4, affine: false), null]));
        Assert.Contains("4 features", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            Functional.NormalizedWeightedSum([x, Tensor.Randn(g, 2, 3, 2, 2)], w, [null, null]));
        Assert.Contains("input 1", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1f, Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}.");
        }
    }
}

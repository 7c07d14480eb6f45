using NasBench.Tensors;

namespace NasBench.Tensors.Tests;

/// <summary>The batch-minor operations' gradients against finite differences, and their values against the NCHW
/// operations on the same data.</summary>
public class BatchMinorGradientTests
{
    private static Generator G(ulong seed) => new(seed);

    [Fact]
    public void Layout_moves_have_finite_difference_gradients_and_add_the_addend()
    {
        var g = G(1);
        GradCheck.Check(x => Functional.BatchMinor.From(x[0]), [Tensor.Randn(g, 3, 2, 2, 3)]);
        GradCheck.Check(x => Functional.BatchMinor.To(x[0], 2, 3, x[1]),
            [Tensor.Randn(g, 1, 2, 6, 3), Tensor.Randn(g, 3, 2, 2, 3)]);
        var nchw = Tensor.Randn(g, 3, 2, 2, 3);
        Assert.Equal(nchw.ToArray(), Functional.BatchMinor.To(Functional.BatchMinor.From(nchw), 2, 3).ToArray());
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(5, 2, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(5, 4, 2)]
    public void Depthwise_convolution_has_finite_difference_gradients_and_the_NCHW_values(int k, int pad, int dil)
    {
        var g = G(2);
        GradCheck.Check(x => Functional.BatchMinor.DepthwiseConv2d(x[0], x[1], 4, 3, pad, dil),
            [Tensor.Randn(g, 1, 2, 12, 3), Tensor.Randn(g, 2, 1, k, k)]);
        var input = Tensor.Randn(g, 3, 2, 4, 3);
        var weight = Tensor.Randn(g, 2, 1, k, k);
        var expected = Functional.Conv2d(input, weight, null, 1, pad, dil, groups: 2);
        var actual = Functional.BatchMinor.To(Functional.BatchMinor.DepthwiseConv2d(
            Functional.BatchMinor.From(input), weight, 4, 3, pad, dil), expected.Shape[2], expected.Shape[3]);
        AssertClose(expected.ToArray(), actual.ToArray());
    }

    [Fact]
    public void Pointwise_convolution_has_finite_difference_gradients_and_the_NCHW_values()
    {
        var g = G(3);
        GradCheck.Check(x => Functional.BatchMinor.PointwiseConv2d(x[0], x[1]),
            [Tensor.Randn(g, 1, 3, 5, 2), Tensor.Randn(g, 4, 3, 1, 1)]);
        var input = Tensor.Randn(g, 2, 3, 2, 3);
        var weight = Tensor.Randn(g, 4, 3, 1, 1);
        var expected = Functional.Conv2d(input, weight);
        var actual = Functional.BatchMinor.To(
            Functional.BatchMinor.PointwiseConv2d(Functional.BatchMinor.From(input), weight), 2, 3);
        AssertClose(expected.ToArray(), actual.ToArray());
    }

    [Fact]
    public void Pools_have_finite_difference_gradients_and_the_NCHW_values()
    {
        var g = G(4);
        GradCheck.Check(x => Functional.BatchMinor.MaxPool3x3(x[0], 4, 3), [GradCheck.Distinct(g, 1, 2, 12, 3)]);
        GradCheck.Check(x => Functional.BatchMinor.AvgPool3x3(x[0], 4, 3), [Tensor.Randn(g, 1, 2, 12, 3)]);
        var input = Tensor.Randn(g, 3, 2, 4, 3);
        var batchMinor = Functional.BatchMinor.From(input);
        Assert.Equal(Functional.MaxPool2d(input, 3, 1, 1).ToArray(),
            Functional.BatchMinor.To(Functional.BatchMinor.MaxPool3x3(batchMinor, 4, 3), 4, 3).ToArray());
        AssertClose(Functional.AvgPool2d(input, 3, 1, 1).ToArray(),
            Functional.BatchMinor.To(Functional.BatchMinor.AvgPool3x3(batchMinor, 4, 3), 4, 3).ToArray());
    }

    [Fact]
    public void Shapes_that_are_not_batch_minor_are_named()
    {
        var g = G(5);
        var e = Assert.Throws<ArgumentException>(() =>
            Functional.BatchMinor.MaxPool3x3(Tensor.Randn(g, 1, 2, 12, 3), 3, 3));
        Assert.Contains("H·W = 3·3", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Functional.BatchMinor.DepthwiseConv2d(Tensor.Randn(g, 2, 2, 12, 3), Tensor.Randn(g, 2, 1, 3, 3), 4, 3, 1));
        Assert.Contains("1 (batch-minor activations)", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Functional.BatchMinor.PointwiseConv2d(Tensor.Randn(g, 1, 2, 12, 3), Tensor.Randn(g, 4, 3, 1, 1)));
        Assert.Contains("C_in", e.Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}

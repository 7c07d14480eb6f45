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
    [InlineData(3, 1, 1, 1)]
    [InlineData(5, 2, 1, 1)]
    [InlineData(3, 2, 2, 1)]
    [InlineData(5, 4, 2, 1)]
    [InlineData(3, 1, 1, 2)]
    [InlineData(5, 4, 2, 2)]
    public void Depthwise_convolution_has_finite_difference_gradients_and_the_NCHW_values(int k, int pad, int dil,
        int stride)
    {
        var g = G(2);
        GradCheck.Check(x => Functional.BatchMinor.DepthwiseConv2d(x[0], x[1], 4, 3, pad, dil, stride),
            [Tensor.Randn(g, 1, 2, 12, 3), Tensor.Randn(g, 2, 1, k, k)]);
        var input = Tensor.Randn(g, 3, 2, 4, 3);
        var weight = Tensor.Randn(g, 2, 1, k, k);
        var expected = Functional.Conv2d(input, weight, null, stride, pad, dil, groups: 2);
        var actual = Functional.BatchMinor.To(Functional.BatchMinor.DepthwiseConv2d(
            Functional.BatchMinor.From(input), weight, 4, 3, pad, dil, stride), expected.Shape[2], expected.Shape[3]);
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Pools_have_finite_difference_gradients_and_the_NCHW_values(int stride)
    {
        var g = G(4);
        GradCheck.Check(x => Functional.BatchMinor.MaxPool3x3(x[0], 5, 3, stride),
            [GradCheck.Distinct(g, 1, 2, 15, 3)]);
        GradCheck.Check(x => Functional.BatchMinor.AvgPool3x3(x[0], 5, 3, stride), [Tensor.Randn(g, 1, 2, 15, 3)]);
        var input = Tensor.Randn(g, 3, 2, 5, 3);
        var batchMinor = Functional.BatchMinor.From(input);
        var max = Functional.MaxPool2d(input, 3, stride, 1);
        Assert.Equal(max.ToArray(), Functional.BatchMinor.To(Functional.BatchMinor.MaxPool3x3(batchMinor, 5, 3, stride),
            max.Shape[2], max.Shape[3]).ToArray());
        var avg = Functional.AvgPool2d(input, 3, stride, 1);
        AssertClose(avg.ToArray(), Functional.BatchMinor.To(Functional.BatchMinor.AvgPool3x3(batchMinor, 5, 3, stride),
            avg.Shape[2], avg.Shape[3]).ToArray());
    }

    [Theory]
    [InlineData(4, 6, 0)]
    [InlineData(5, 3, 1)]
    [InlineData(5, 3, 0)]
    public void Subsampling_has_finite_difference_gradients_and_picks_every_other_cell(int h, int w, int offset)
    {
        var g = G(6);
        GradCheck.Check(x => Functional.BatchMinor.Subsample2(x[0], h, w, offset), [Tensor.Randn(g, 1, 2, h * w, 3)]);
        var input = Tensor.Randn(g, 3, 2, h, w);
        int oh = (h + 1) / 2, ow = (w + 1) / 2;
        var y = Functional.BatchMinor.To(
            Functional.BatchMinor.Subsample2(Functional.BatchMinor.From(input), h, w, offset), oh, ow).ToArray();
        var x = input.ToArray();
        for (int n = 0; n < 3; n++)
        for (int c = 0; c < 2; c++)
        for (int i = 0; i < (h + 1) / 2; i++)
        for (int j = 0; j < (w + 1) / 2; j++)
        {
            int row = 2 * i + offset, col = 2 * j + offset;
            float expected = row < h && col < w ? x[((n * 2 + c) * h + row) * w + col] : 0f;
            Assert.Equal(expected, y[((n * 2 + c) * oh + i) * ow + j]);
        }
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

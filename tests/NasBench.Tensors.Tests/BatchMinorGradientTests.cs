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

    [Theory]
    [InlineData(3, 1, 1, 1)]
    [InlineData(5, 2, 1, 1)]
    [InlineData(3, 2, 2, 1)]
    [InlineData(3, 1, 1, 2)]
    [InlineData(5, 4, 2, 2)]
    public void Fused_relu_depthwise_convolution_has_finite_difference_gradients(int k, int pad, int dil, int stride)
    {
        var g = G(7);
        // Inputs kept away from the ReLU kink by more than the finite-difference step.
        GradCheck.Check(x => Functional.BatchMinor.ReluDepthwiseConv2d(x[0], x[1], 4, 3, pad, dil, stride),
            [GradCheck.AwayFromZero(g, 0.05f, 1, 2, 12, 3), Tensor.Randn(g, 2, 1, k, k)]);
    }

    [Theory]
    [InlineData(3, 1, 1, 1)]
    [InlineData(5, 2, 1, 1)]
    [InlineData(5, 4, 2, 1)]
    [InlineData(3, 1, 1, 2)]
    [InlineData(5, 2, 1, 2)]
    [InlineData(3, 2, 2, 2)]
    public void Fused_relu_depthwise_convolution_equals_relu_then_convolution(int k, int pad, int dil, int stride)
    {
        var g = G(8);
        // 19 images: a vector and a scalar tail; x used twice, so the second backward accumulates into x's gradient
        // (the heads of a mixed edge); zeros of both signs, where the ReLU's gradient is 0.
        var x = Tensor.Randn(g, 1, 3, 35, 19);
        var values = x.AsSpan();
        for (int i = 0; i < values.Length; i += 5)
        {
            values[i] = i % 2 == 0 ? 0f : -0f;
        }
        x.RequireGrad();
        var w = Tensor.Randn(g, 3, 1, k, k).RequireGrad();
        var w2 = Tensor.Randn(g, 3, 1, k, k).RequireGrad();
        var fused = Functional.BatchMinor.ReluDepthwiseConv2d(x, w, 7, 5, pad, dil, stride);
        var fused2 = Functional.BatchMinor.ReluDepthwiseConv2d(x, w2, 7, 5, pad, dil, stride);
        Assert.Equal("BatchMinorReluDepthwiseConv2d", fused.GradFnName);
        var probe = Tensor.Randn(g, fused.Shape);
        var probe2 = Tensor.Randn(g, fused.Shape);
        ((fused * probe).Sum() + (fused2 * probe2).Sum()).Backward();
        var (fusedDx, fusedDw, fusedDw2) = (x.Grad!.ToArray(), w.Grad!.ToArray(), w2.Grad!.ToArray());
        x.ZeroGrad();
        w.ZeroGrad();
        w2.ZeroGrad();
        // One ReLU per convolution, so x's gradient is also each masked gradient added in turn; bit for bit.
        var plain = Functional.BatchMinor.DepthwiseConv2d(x.Relu(), w, 7, 5, pad, dil, stride);
        var plain2 = Functional.BatchMinor.DepthwiseConv2d(x.Relu(), w2, 7, 5, pad, dil, stride);
        ((plain * probe).Sum() + (plain2 * probe2).Sum()).Backward();
        Assert.Equal(plain.ToArray(), fused.ToArray());
        Assert.Equal(plain2.ToArray(), fused2.ToArray());
        Assert.Equal(x.Grad!.ToArray(), fusedDx);
        Assert.Equal(w.Grad!.ToArray(), fusedDw);
        Assert.Equal(w2.Grad!.ToArray(), fusedDw2);
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

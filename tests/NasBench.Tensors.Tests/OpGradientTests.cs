using NasBench.Tensors;

namespace NasBench.Tensors.Tests;

public class OpGradientTests
{
    private static Generator G(ulong seed = 1) => new(seed);

    [Fact]
    public void GradCheck_catches_a_wrong_gradient()
    {
        // x ⊙ detach(x) has true derivative 2x but the tape only sees x: the checker must reject it.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            GradCheck.Check(x => x[0] * x[0].Detach(), [Tensor.Randn(G(), 5)]));
    }

    [Fact]
    public void Add_sub_mul_same_shape()
    {
        var g = G();
        GradCheck.Check(x => x[0] + x[1], [Tensor.Randn(g, 2, 3, 5), Tensor.Randn(g, 2, 3, 5)]);
        GradCheck.Check(x => x[0] - x[1], [Tensor.Randn(g, 2, 3, 5), Tensor.Randn(g, 2, 3, 5)]);
        GradCheck.Check(x => x[0] * x[1], [Tensor.Randn(g, 2, 3, 5), Tensor.Randn(g, 2, 3, 5)]);
    }

    [Fact]
    public void Channel_broadcast_bias_and_scale()
    {
        var g = G(2);
        GradCheck.Check(x => x[0] + x[1], [Tensor.Randn(g, 2, 3, 4, 5), Tensor.Randn(g, 3)]);
        GradCheck.Check(x => x[0] * x[1], [Tensor.Randn(g, 2, 3, 4, 5), Tensor.Randn(g, 1, 3, 1, 1)]);
        GradCheck.Check(x => x[1] - x[0], [Tensor.Randn(g, 2, 3, 3, 3), Tensor.Randn(g, 1, 3, 1, 1)]);
        GradCheck.Check(x => x[0] - x[1], [Tensor.Randn(g, 3, 5), Tensor.Randn(g, 5)]);
    }

    [Fact]
    public void Scalar_ops_and_reductions()
    {
        var g = G(3);
        GradCheck.Check(x => (x[0] * 2.5f) + 1f, [Tensor.Randn(g, 7)]);
        GradCheck.Check(x => -x[0] - 3f, [Tensor.Randn(g, 3, 2)]);
        GradCheck.Check(x => x[0].Sum(), [Tensor.Randn(g, 3, 5)]);
        GradCheck.Check(x => x[0].Mean(), [Tensor.Randn(g, 3, 5)]);
    }

    [Fact]
    public void Gradients_accumulate_when_a_tensor_is_used_several_times()
    {
        var x = Tensor.FromArray([1f, -2f, 3f], 3).RequireGrad();
        var y = ((x * x) + x + (x * 3f)).Sum();
        y.Backward();
        Assert.Equal(new[] { 6f, 0f, 10f }, x.Grad!.ToArray());
        // A second backward over a new graph adds to the existing gradient.
        x.Sum().Backward();
        Assert.Equal(new[] { 7f, 1f, 11f }, x.Grad!.ToArray());
        GradCheck.Check(t => (t[0] * t[0]) + t[0], [Tensor.Randn(G(4), 2, 3)]);
    }

    [Fact]
    public void MatMul_and_linear()
    {
        var g = G(5);
        GradCheck.Check(x => x[0].MatMul(x[1]), [Tensor.Randn(g, 3, 4), Tensor.Randn(g, 4, 5)]);
        GradCheck.Check(x => Functional.Linear(x[0], x[1], x[2]),
            [Tensor.Randn(g, 3, 7), Tensor.Randn(g, 5, 7), Tensor.Randn(g, 5)]);
        GradCheck.Check(x => Functional.Linear(x[0], x[1]), [Tensor.Randn(g, 2, 3), Tensor.Randn(g, 4, 3)]);
    }

    [Theory]
    [InlineData(1, 0, 1, 1, true)]
    [InlineData(2, 1, 1, 1, true)]
    [InlineData(1, 2, 2, 1, false)]
    [InlineData(2, 1, 1, 2, true)]
    public void Conv2d_dense_and_grouped(int stride, int padding, int dilation, int groups, bool bias)
    {
        var g = G(6);
        var inputs = new List<Tensor> { Tensor.Randn(g, 2, 4, 7, 5), Tensor.Randn(g, 6, 4 / groups, 3, 3) };
        if (bias)
        {
            inputs.Add(Tensor.Randn(g, 6));
        }
        GradCheck.Check(
            x => Functional.Conv2d(x[0], x[1], x.Length > 2 ? x[2] : null, stride, padding, dilation, groups),
            [.. inputs]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 2)]
    public void Conv2d_depthwise(int stride, int padding, int dilation)
    {
        var g = G(7);
        GradCheck.Check(x => Functional.Conv2d(x[0], x[1], x[2], stride, padding, dilation, groups: 3),
            [Tensor.Randn(g, 2, 3, 7, 6), Tensor.Randn(g, 3, 1, 3, 3), Tensor.Randn(g, 3)]);
        Assert.Equal("DepthwiseConv2d",
            Functional.Conv2d(Tensor.Randn(g, 1, 3, 5, 5), Tensor.Randn(g, 3, 1, 3, 3).RequireGrad(), groups: 3)
                .GradFnName);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 4, 2)]
    public void Fused_relu_depthwise_conv_gradients_and_equivalence(int stride, int padding, int dilation)
    {
        var g = G(17);
        // Inputs kept away from the ReLU kink by more than the finite-difference step.
        GradCheck.Check(x => Functional.ReluDepthwiseConv2d(x[0], x[1], x[2], stride, padding, dilation),
            [GradCheck.AwayFromZero(g, 0.05f, 2, 3, 9, 8), Tensor.Randn(g, 3, 1, 3, 3), Tensor.Randn(g, 3)]);

        // Same value and gradients as the unfused ReLU → depthwise pair.
        var x = Tensor.Randn(g, 2, 3, 9, 8).RequireGrad();
        var w = Tensor.Randn(g, 3, 1, 3, 3).RequireGrad();
        var probe = Tensor.Randn(g, Functional.Conv2d(x.Relu(), w, null, stride, padding, dilation, 3).Shape);
        var fused = Functional.ReluDepthwiseConv2d(x, w, null, stride, padding, dilation);
        Assert.Equal("ReluDepthwiseConv2d", fused.GradFnName);
        fused.Backward(probe);
        var (fusedDx, fusedDw) = (x.Grad!.ToArray(), w.Grad!.ToArray());
        x.ZeroGrad();
        w.ZeroGrad();
        var plain = Functional.Conv2d(x.Relu(), w, null, stride, padding, dilation, 3);
        plain.Backward(probe);
        Assert.Equal(plain.ToArray(), fused.ToArray());
        Assert.Equal(x.Grad!.ToArray(), fusedDx);
        Assert.Equal(w.Grad!.ToArray(), fusedDw);
    }

    [Theory]
    [InlineData(1, 1, 0, 1, 1)]
    [InlineData(1, 2, 0, 1, 1)]
    [InlineData(1, 2, 1, 1, 1)]
    [InlineData(3, 2, 2, 2, 2)]
    [InlineData(3, 1, 1, 1, 1)]
    public void Fused_relu_conv_gradients_and_equivalence(int k, int stride, int padding, int dilation, int groups)
    {
        var g = G(19);
        // Inputs kept away from the ReLU kink by more than the finite-difference step.
        GradCheck.Check(x => Functional.ReluConv2d(x[0], x[1], x[2], stride, padding, dilation, groups),
            [GradCheck.AwayFromZero(g, 0.05f, 2, 4, 9, 8), Tensor.Randn(g, 6, 4 / groups, k, k), Tensor.Randn(g, 6)]);

        // Same value and gradients as the unfused ReLU → conv pair, bit for bit, with x used twice so that the
        // second backward accumulates into x's gradient (factorized reduce's two paths).
        var x = Tensor.Randn(g, 2, 4, 9, 8).RequireGrad();
        var w = Tensor.Randn(g, 6, 4 / groups, k, k).RequireGrad();
        var w2 = Tensor.Randn(g, 6, 4 / groups, k, k).RequireGrad();
        var shape = Functional.Conv2d(x.Relu(), w, null, stride, padding, dilation, groups).Shape;
        var probe = Tensor.Randn(g, shape);
        var probe2 = Tensor.Randn(g, shape);
        var fused = Functional.ReluConv2d(x, w, null, stride, padding, dilation, groups);
        var fused2 = Functional.ReluConv2d(x, w2, null, stride, padding, dilation, groups);
        Assert.Equal("ReluConv2d", fused.GradFnName);
        ((fused * probe).Sum() + (fused2 * probe2).Sum()).Backward();
        var (fusedDx, fusedDw) = (x.Grad!.ToArray(), w.Grad!.ToArray());
        x.ZeroGrad();
        w.ZeroGrad();
        w2.ZeroGrad();
        var r = x.Relu();
        var plain = Functional.Conv2d(r, w, null, stride, padding, dilation, groups);
        var plain2 = Functional.Conv2d(r, w2, null, stride, padding, dilation, groups);
        ((plain * probe).Sum() + (plain2 * probe2).Sum()).Backward();
        Assert.Equal(plain.ToArray(), fused.ToArray());
        Assert.Equal(plain2.ToArray(), fused2.ToArray());
        Assert.Equal(w.Grad!.ToArray(), fusedDw);
        // The unfused graph sums the two convolutions' gradients before the ReLU mask, the fused one after: the
        // same sum up to one rounding.
        var dx = x.Grad!.ToArray();
        for (int i = 0; i < dx.Length; i++)
        {
            Assert.True(MathF.Abs(dx[i] - fusedDx[i]) <= 1e-5f * (1 + MathF.Abs(dx[i])), $"dx[{i}]: {dx[i]} vs {fusedDx[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Shared_relu_depthwise_convs_equal_separate_ones(int stride)
    {
        var g = G(18);
        // The first stage of DARTS's sep 3×3, sep 5×5, dil 3×3 and dil 5×5 on one input.
        int[] kernels = [3, 5, 3, 5], paddings = [1, 2, 2, 4], dilations = [1, 1, 2, 2];
        var x = Tensor.Randn(g, 3, 4, 11, 10).RequireGrad();
        var ws = kernels.Select(k => Tensor.Randn(g, 4, 1, k, k).RequireGrad()).ToArray();
        var shared = Functional.ReluDepthwiseConv2dShared(x, ws, paddings, dilations, stride);
        Assert.Equal(4, shared.Length);
        Assert.All(shared, y => Assert.Equal("ReluDepthwiseConv2d", y.GradFnName));
        var probes = shared.Select(y => Tensor.Randn(g, y.Shape)).ToArray();
        var loss = shared.Select((y, b) => (y * probes[b]).Sum()).Aggregate((a, b) => a + b);
        loss.Backward();
        var sharedDx = x.Grad!.ToArray();
        var sharedDw = ws.Select(w => w.Grad!.ToArray()).ToArray();
        x.ZeroGrad();
        foreach (var w in ws)
        {
            w.ZeroGrad();
        }
        var separate = ws.Select((w, b) =>
            Functional.ReluDepthwiseConv2d(x, w, null, stride, paddings[b], dilations[b])).ToArray();
        separate.Select((y, b) => (y * probes[b]).Sum()).Aggregate((a, b) => a + b).Backward();
        for (int b = 0; b < ws.Length; b++)
        {
            Assert.Equal(separate[b].Shape, shared[b].Shape);
            Assert.Equal(separate[b].ToArray(), shared[b].ToArray());
            Assert.Equal(ws[b].Grad!.ToArray(), sharedDw[b]);
        }
        Assert.Equal(x.Grad!.ToArray(), sharedDx);
        var ex = Assert.Throws<ArgumentException>(() =>
            Functional.ReluDepthwiseConv2dShared(x, ws, paddings, dilations.AsSpan(0, 3), stride));
        Assert.Contains("one padding and one dilation per weight", ex.Message);
    }

    [Fact]
    public void BatchNorm_training_affine_and_plain()
    {
        var g = G(8);
        var mean = Tensor.Zeros(3);
        var variance = Tensor.Ones(3);
        GradCheck.Check(x => Functional.BatchNorm(x[0], mean, variance, x[1], x[2], training: true),
            [Tensor.Randn(g, 3, 3, 3, 2), Tensor.Randn(g, 3), Tensor.Randn(g, 3)], atol: 5e-3);
        GradCheck.Check(x => Functional.BatchNorm(x[0], null, null, training: true), [Tensor.Randn(g, 4, 5)],
            atol: 5e-3);
    }

    [Fact]
    public void BatchNorm_eval_mode()
    {
        var g = G(9);
        var mean = Tensor.Randn(g, 3);
        var variance = Tensor.Rand(g, 3) + 0.5f;
        GradCheck.Check(x => Functional.BatchNorm(x[0], mean, variance, x[1], x[2], training: false),
            [Tensor.Randn(g, 2, 3, 2, 3), Tensor.Randn(g, 3), Tensor.Randn(g, 3)]);
    }

    [Fact]
    public void Relu_and_pools()
    {
        var g = G(10);
        GradCheck.Check(x => x[0].Relu(), [GradCheck.AwayFromZero(g, 0.05f, 2, 3, 4)]);
        GradCheck.Check(x => Functional.MaxPool2d(x[0], 3, 2, 1), [GradCheck.Distinct(g, 2, 2, 7, 5)]);
        GradCheck.Check(x => Functional.MaxPool2d(x[0], 2), [GradCheck.Distinct(g, 1, 3, 6, 6)]);
        GradCheck.Check(x => Functional.AvgPool2d(x[0], 3, 1, 1), [Tensor.Randn(g, 2, 2, 5, 4)]);
        GradCheck.Check(x => Functional.AvgPool2d(x[0], 3, 2, 1), [Tensor.Randn(g, 1, 2, 7, 7)]);
        GradCheck.Check(x => Functional.AdaptiveAvgPool2d(x[0]), [Tensor.Randn(g, 2, 3, 3, 5)]);
    }

    [Fact]
    public void Dropout_with_a_fixed_mask()
    {
        var g = G(11);
        GradCheck.Check(x => Functional.Dropout(x[0], 0.4f, training: true, new Generator(99)),
            [Tensor.Randn(g, 4, 9)]);
        var y = Functional.Dropout(Tensor.Ones(1000), 0.25f, training: true, new Generator(1)).ToArray();
        int zeros = y.Count(v => v == 0f);
        Assert.InRange(zeros, 190, 310);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - (1 / 0.75f)) < 1e-6));
    }

    [Fact]
    public void Cat_narrow_reshape_flatten()
    {
        var g = G(12);
        GradCheck.Check(x => Tensor.Cat([x[0], x[1], x[0]], dim: 1),
            [Tensor.Randn(g, 2, 2, 3, 2), Tensor.Randn(g, 2, 3, 3, 2)]);
        GradCheck.Check(x => x[0].Narrow(1, 1, 2), [Tensor.Randn(g, 2, 4, 2, 3)]);
        GradCheck.Check(x => x[0].Reshape(3, -1) * x[0].Flatten(), [Tensor.Randn(g, 3, 2, 2)]);
    }

    [Fact]
    public void Softmax_logsoftmax_cross_entropy()
    {
        var g = G(13);
        GradCheck.Check(x => x[0].Softmax(), [Tensor.Randn(g, 3, 5)]);
        GradCheck.Check(x => x[0].LogSoftmax(), [Tensor.Randn(g, 3, 5)]);
        GradCheck.Check(x => Functional.CrossEntropy(x[0], [2, 0, 4]) * 3f, [Tensor.Randn(g, 3, 5)]);
    }

    [Fact]
    public void Weighted_sum_reaches_inputs_and_weights()
    {
        var g = G(14);
        GradCheck.Check(x => Functional.WeightedSum([x[0], x[1], x[2]], x[3]),
            [Tensor.Randn(g, 2, 3, 3), Tensor.Randn(g, 2, 3, 3), Tensor.Randn(g, 2, 3, 3), Tensor.Randn(g, 3)]);
    }

    [Fact]
    public void Cross_entropy_value_matches_log_softmax()
    {
        var logits = Tensor.Randn(G(15), 4, 6);
        int[] labels = [0, 5, 3, 3];
        float loss = Functional.CrossEntropy(logits, labels).Item();
        var logp = logits.LogSoftmax().ToArray();
        double expected = -labels.Select((l, r) => (double)logp[(r * 6) + l]).Average();
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void No_grad_records_nothing_and_detach_cuts_the_tape()
    {
        var x = Tensor.Randn(G(16), 3).RequireGrad();
        using (Tensor.NoGrad())
        {
            var y = x * 2f;
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFnName);
        }
        var d = (x * 2f).Detach();
        Assert.False(d.RequiresGrad);
        Assert.Equal("MulScalar", (x * 2f).GradFnName);
    }
}

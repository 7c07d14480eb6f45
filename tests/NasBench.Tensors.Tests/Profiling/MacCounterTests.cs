using NasBench.Tensors.Nn;
using NasBench.Tensors.Profiling;

namespace NasBench.Tensors.Tests.Profiling;

/// <summary>MAC counts against figures worked out by hand from the layer shapes.</summary>
public class MacCounterTests
{
    [Fact]
    public void Conv_pool_linear_net_counts_hand_computed_macs()
    {
        var g = new Generator(1);
        var net = new Sequential(
            new Conv2d(1, 4, 3, g, padding: 1),          // 28×28 out: 4·28·28·(1·3·3) = 28 224
            new BatchNorm2d(4),                           // not a MAC
            new ReLU(),
            new MaxPool2d(2),                             // 14×14
            new Conv2d(4, 8, 3, g, stride: 2, padding: 1, bias: false), // 7×7 out: 8·7·7·(4·9) = 14 112
            new Conv2d(8, 8, 3, g, padding: 1, groups: 8), // depthwise 7×7: 8·7·7·(1·9) = 3 528
            new Conv2d(8, 6, 3, g, padding: 2, dilation: 2, groups: 2), // 7×7: 6·49·(4·9) = 10 584
            new AdaptiveAvgPool2d(),
            new Flatten(),
            new Linear(6, 10, g));                        // 6·10 = 60
        const long expected = 28_224 + 14_112 + 3_528 + 10_584 + 60;

        var stats = ModelStatistics.Measure(net, [1, 28, 28]);

        Assert.Equal(expected, stats.MacsPerSample);
        long parameters = (4 * 9) + 4 + 8 + (8 * 4 * 9) + (8 * 9) + 8 + (6 * 4 * 9) + 6 + (6 * 10) + 10;
        Assert.Equal(parameters, stats.Parameters);
        Assert.Equal(parameters, stats.TrainableParameters);
        Assert.Equal(2 * 4, stats.BufferElements); // running mean and variance of the one BN
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Counts_scale_with_the_batch_and_are_reported_per_sample(int batch)
    {
        var g = new Generator(2);
        var net = new Sequential(new Flatten(), new Linear(12, 5, g), new ReLU(), new Linear(5, 3, g, bias: false));
        var stats = ModelStatistics.Measure(net, [3, 2, 2], batch: batch);
        Assert.Equal((12 * 5) + (5 * 3), stats.MacsPerSample);

        using var scope = TensorScope.Enter();
        using var counter = MacCounter.Start();
        using (Tensor.NoGrad())
        {
            net.Forward(Tensor.Zeros(batch, 3, 2, 2));
        }
        Assert.Equal(batch * ((12 * 5) + (5 * 3)), counter.Total);
    }

    [Fact]
    public void Nested_counters_both_see_inner_work_and_nothing_is_counted_outside()
    {
        using var scope = TensorScope.Enter();
        var a = Tensor.Ones(4, 6);
        var b = Tensor.Ones(6, 5);
        a.MatMul(b); // no counter active: must not leak into the next one
        using var outer = MacCounter.Start();
        a.MatMul(b);
        using (var inner = MacCounter.Start())
        {
            a.MatMul(b);
            Assert.Equal(4 * 6 * 5, inner.Total);
        }
        Assert.Equal(2 * 4 * 6 * 5, outer.Total);
    }

    [Fact]
    public void Backward_is_not_counted()
    {
        var g = new Generator(3);
        var layer = new Linear(8, 4, g);
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(g, 2, 8);
        using var counter = MacCounter.Start();
        var loss = layer.Forward(x).Sum();
        loss.Backward();
        Assert.Equal(2 * 8 * 4, counter.Total);
    }

    [Fact]
    public void Measuring_restores_mode_and_running_statistics()
    {
        var g = new Generator(4);
        var bn = new BatchNorm2d(2);
        var net = new Sequential(new Conv2d(1, 2, 1, g), bn);
        net.Eval();
        float[] before = bn.NamedBuffers().SelectMany(b => b.Buffer.ToArray()).ToArray();
        ModelStatistics.Measure(net, [1, 3, 3], trainingMode: true);
        Assert.False(net.IsTraining);
        Assert.Equal(before, bn.NamedBuffers().SelectMany(b => b.Buffer.ToArray()).ToArray());
    }

    [Fact]
    public void Bad_input_shape_is_named()
    {
        var net = new Sequential(new Flatten());
        var e = Assert.Throws<ArgumentException>(() => ModelStatistics.Measure(net, [1, 0, 3]));
        Assert.Contains("[1, 0, 3]", e.Message, StringComparison.Ordinal);
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Tensors.Tests;

public class OptimizerTests
{
    private static Parameter WithGrad(float value, float grad)
    {
        var p = new Parameter(Tensor.Full(value, 1));
        p.Grad = Tensor.Full(grad, 1).DetachFromScope();
        return p;
    }

    [Fact]
    public void Sgd_momentum_nesterov_and_weight_decay_follow_pytorch()
    {
        var p = WithGrad(1f, 0.5f);
        var sgd = new Sgd([p], 0.1, momentum: 0.9, weightDecay: 0.1);
        sgd.Step(); // g = 0.5 + 0.1 = 0.6; b = 0.6; p = 1 − 0.06
        Assert.Equal(0.94f, p.Item(), 6);
        sgd.Step(); // g = 0.5 + 0.094 = 0.594; b = 0.54 + 0.594 = 1.134; p = 0.94 − 0.1134
        Assert.Equal(0.8266f, p.Item(), 5);
        Assert.Equal(1.134f, sgd.State(p).Buffers["momentum_buffer"].Item(), 5);

        var q = WithGrad(1f, 1f);
        var nesterov = new Sgd([q], 0.1, momentum: 0.5, nesterov: true);
        nesterov.Step(); // b = 1; g = 1 + 0.5 = 1.5
        Assert.Equal(0.85f, q.Item(), 6);
    }

    [Fact]
    public void Adam_first_step_moves_by_the_learning_rate_and_adamw_decays()
    {
        var p = WithGrad(1f, 3f);
        var adam = new Adam([p], 0.01);
        adam.Step();
        Assert.Equal(0.99f, p.Item(), 5);
        Assert.Equal(1, adam.State(p).Step);

        var q = WithGrad(1f, 3f);
        new AdamW([q], 0.01, weightDecay: 0.5).Step(); // p·(1 − 0.005) − 0.01
        Assert.Equal(0.985f, q.Item(), 5);
    }

    [Fact]
    public void State_is_per_parameter_and_can_be_reset_or_replaced()
    {
        var a = WithGrad(1f, 1f);
        var b = WithGrad(2f, 1f);
        var sgd = new Sgd([a, b], 0.1, momentum: 0.9);
        sgd.Step();
        Assert.True(sgd.HasState(a) && sgd.HasState(b));
        var wider = WithGrad(0f, 1f);
        sgd.ReplaceParameter(a, wider);
        Assert.False(sgd.HasState(a));
        Assert.Same(wider, sgd.Parameters[0]);
        sgd.ResetState(b);
        Assert.False(sgd.HasState(b));
    }

    [Fact]
    public void Cosine_annealing_and_clipping()
    {
        var p = WithGrad(0f, 3f);
        var q = WithGrad(0f, 4f);
        var sgd = new Sgd([p, q], 1.0);
        var schedule = new CosineAnnealingLr(sgd, tMax: 4, etaMin: 0.2);
        schedule.Step();
        schedule.Step();
        Assert.Equal(0.6, sgd.LearningRate, 10);
        schedule.Step();
        schedule.Step();
        schedule.Step();
        Assert.Equal(0.2, sgd.LearningRate, 10);

        double norm = GradientClipping.ClipGradNorm([p, q], 1.0);
        Assert.Equal(5.0, norm, 5);
        Assert.Equal(0.6f, p.Grad!.Item(), 4);
        Assert.Equal(0.8f, q.Grad!.Item(), 4);
    }

    [Fact]
    public void Generator_is_reproducible_and_roughly_normal()
    {
        var a = new Generator(42);
        var b = new Generator(42);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
        var values = Tensor.Randn(new Generator(3), 20000).ToArray();
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.95, 1.05);
        Assert.NotEqual(new Generator(1).NextUInt64(), new Generator(2).NextUInt64());
    }

    [Fact]
    public void Module_discovers_parameters_buffers_and_modes()
    {
        var g = new Generator(1);
        var model = new Sequential(new Conv2d(1, 2, 3, g), new BatchNorm2d(2), new Dropout(0.5f, g),
            new Flatten(), new Linear(2, 3, g, bias: false));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "4.weight"],
            model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.running_var"], model.NamedBuffers().Select(b => b.Name));
        model.Eval();
        Assert.All(model.NamedModules(), m => Assert.False(m.Module.IsTraining));
        var (fanIn, _) = Init.CalculateFanInAndFanOut(((Conv2d)model[0]).Weight);
        Assert.Equal(9, fanIn);
        Assert.All(((Conv2d)model[0]).Weight.ToArray(), v => Assert.InRange(v, -1 / 3f, 1 / 3f));
    }
}

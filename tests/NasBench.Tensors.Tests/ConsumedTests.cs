namespace NasBench.Tensors.Tests;

/// <summary><see cref="Tensor.Consumed"/>: an intermediate goes back to the pool at once only when no tape records,
/// never when it is the result itself, and views keep its storage alive.</summary>
public class ConsumedTests
{
    [Fact]
    public void Without_the_tape_the_consumed_tensor_is_released_and_the_result_returned()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(new Generator(1), 2, 3);
        using (Tensor.NoGrad())
        {
            var h = x * 2f;
            var y = h + 1f;
            Assert.Same(y, Tensor.Consumed(h, y));
            Assert.True(h.IsDisposed);
            Assert.False(y.IsDisposed);
            Assert.Equal(x.ToArray().Select(v => (v * 2f) + 1f), y.ToArray());
        }
    }

    [Fact]
    public void With_the_tape_nothing_is_released_and_backward_still_works()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(new Generator(2), 4).RequireGrad();
        var h = x * x;
        var y = Tensor.Consumed(h, h * 3f).Sum();
        Assert.False(h.IsDisposed);
        y.Backward();
        Assert.Equal(x.ToArray().Select(v => 6f * v), x.Grad!.ToArray());
    }

    [Fact]
    public void The_result_itself_is_never_released()
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        var h = Tensor.Ones(3);
        Assert.Same(h, Tensor.Consumed(h, h));
        Assert.False(h.IsDisposed);
    }

    [Fact]
    public void A_view_of_the_consumed_tensor_keeps_its_values()
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        var h = Tensor.Randn(new Generator(3), 4, 5);
        float[] expected = h.ToArray()[5..10];
        var view = h.Narrow(0, 1, 1);
        Tensor.Consumed(h, view);
        Assert.True(h.IsDisposed);
        // The storage goes back to the pool only with its last view: renting the same size now must not hand it out.
        var other = Tensor.Ones(4, 5);
        Assert.Equal(expected, view.ToArray());
        Assert.All(other.ToArray(), v => Assert.Equal(1f, v));
    }
}

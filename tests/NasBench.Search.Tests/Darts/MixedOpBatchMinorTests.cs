using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts;

/// <summary>One edge run in the batch-minor layout against the same edge in NCHW: same output, same gradients for the
/// input, the addend, the candidate weights and the mixing weights, same running statistics.</summary>
public class MixedOpBatchMinorTests
{
    /// <param name="batch">20: one vector of images and a scalar tail at 512 bits; 64: four whole vectors.</param>
    /// <param name="stride">2: a reduction cell's edge (strided heads and pools, FactorizedReduce), odd sides
    /// included.</param>
    [Theory]
    [InlineData(20, 7, 1, false, true)]
    [InlineData(64, 7, 1, true, true)]
    [InlineData(20, 5, 1, true, false)]
    [InlineData(3, 14, 1, false, false)]
    [InlineData(20, 14, 2, false, true)]
    [InlineData(64, 14, 2, true, true)]
    [InlineData(17, 7, 2, true, false)]
    public void Batch_minor_edge_equals_the_NCHW_edge(int batch, int side, int stride, bool recompute,
        bool withAddend)
    {
        var (expected, expectedGrads, expectedBuffers) =
            RunEdge(batch, side, stride, recompute, withAddend, maxPlane: 0);
        var (actual, actualGrads, actualBuffers) =
            RunEdge(batch, side, stride, recompute, withAddend, maxPlane: side * side);
        NormAssert.Close(expected, actual, 1e-5, "edge output");
        Assert.Equal(expectedGrads.Keys.Order(), actualGrads.Keys.Order());
        foreach (var (name, grad) in expectedGrads)
        {
            NormAssert.Close(grad, actualGrads[name], 1e-4, $"gradient of {name}");
        }
        foreach (var (name, buffer) in expectedBuffers)
        {
            NormAssert.Close(buffer, actualBuffers[name], 1e-5, $"buffer {name}", absolute: 1e-7);
        }
    }

    [Fact]
    public void Only_edges_with_small_enough_output_maps_and_folded_norms_take_the_layout()
    {
        var edge = new MixedOp(4, 2, new Generator(1)) { BatchMinorMaxPlane = 49 };
        Assert.True(edge.RunsBatchMinor(49));
        Assert.False(edge.RunsBatchMinor(50));
        edge.FuseNorms = false;
        Assert.False(edge.RunsBatchMinor(49));
        Assert.Equal(196, new MixedOp(4, 1, new Generator(1)).BatchMinorMaxPlane);
    }

    private static (float[] Output, Dictionary<string, float[]> Grads, Dictionary<string, float[]> Buffers) RunEdge(
        int batch, int side, int stride, bool recompute, bool withAddend, int maxPlane)
    {
        const int channels = 4;
        int outSide = (side - 1) / stride + 1;
        var gen = new Generator(5);
        var edge = new MixedOp(channels, stride, gen, recompute) { BatchMinorMaxPlane = maxPlane };
        var x = Tensor.Randn(gen, batch, channels, side, side).DetachFromScope();
        x.RequiresGrad = true;
        var alpha = Tensor.Randn(gen, 8).DetachFromScope();
        alpha.RequiresGrad = true;
        var addend = Tensor.Randn(gen, batch, channels, outSide, outSide).DetachFromScope();
        addend.RequiresGrad = true;
        var probe = Tensor.Randn(gen, batch, channels, outSide, outSide).DetachFromScope();
        using var scope = TensorScope.Enter();
        var y = edge.Forward(x, Functional.Softmax(alpha), withAddend ? addend : null);
        // A random projection as the loss, so every output element's gradient differs.
        (y * probe).Sum().Backward();
        var grads = edge.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());
        grads["input"] = x.Grad!.ToArray();
        grads["alpha"] = alpha.Grad!.ToArray();
        if (withAddend)
        {
            grads["addend"] = addend.Grad!.ToArray();
        }
        var buffers = edge.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.ToArray());
        return (y.ToArray(), grads, buffers);
    }
}

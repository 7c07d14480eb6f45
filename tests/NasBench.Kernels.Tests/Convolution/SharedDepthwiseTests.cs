using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary><see cref="DepthwiseConv2dKernel.ForwardShared"/>: several convolutions of one input through one padded
/// copy must give what each gives alone, bit for bit, and what the reference gives.</summary>
public class SharedDepthwiseTests
{
    /// <summary>The four first-stage convolutions of a DARTS mixed edge (sep 3×3, sep 5×5, dil 3×3, dil 5×5) at a
    /// given stride, on odd and DARTS-sized maps; and a pair whose paddings differ in parity at stride 2.</summary>
    public static TheoryData<int, int, int, int, int, string> Groups => new()
    {
        { 2, 3, 28, 28, 1, "3:1:1 5:2:1 3:2:2 5:4:2" },
        { 2, 3, 28, 28, 2, "3:1:1 5:2:1 3:2:2 5:4:2" },
        { 19, 2, 7, 7, 1, "3:1:1 5:2:1 3:2:2 5:4:2" },
        { 11, 2, 14, 14, 2, "3:1:1 5:2:1 3:2:2 5:4:2" },
        { 3, 2, 9, 13, 1, "3:1:1 5:2:1 3:2:2 5:4:2" },
        { 3, 2, 11, 9, 2, "3:1:1 5:2:1" },
        { 1, 1, 5, 6, 1, "3:1:1" },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Shared_forward_equals_separate_forwards_and_the_reference(int n, int c, int h, int w, int stride,
        string convs)
    {
        var specs = convs.Split(' ').Select(t => t.Split(':').Select(int.Parse).ToArray()).ToArray();
        var shapes = specs.Select(k => ConvolutionData.Shape(n, c, h, w, c, k[0], stride, k[1], k[2], c)).ToArray();
        var x = ConvolutionData.Random(shapes[0].InputLength, 3);
        Assert.Contains(x, v => v < 0);
        var weights = shapes.Select((s, b) => ConvolutionData.Random(s.WeightLength, 10 + b)).ToArray();
        foreach (bool relu in new[] { false, true })
        {
            var outputs = shapes.Select(s => Enumerable.Repeat(float.NaN, s.OutputLength).ToArray()).ToArray();
            DepthwiseConv2dKernel.ForwardShared(shapes, x,
                weights.Select(a => (ReadOnlyMemory<float>)a).ToArray(),
                outputs.Select(a => (Memory<float>)a).ToArray(), relu);
            var input = relu ? x.Select(v => MathF.Max(v, 0f)).ToArray() : x;
            for (int b = 0; b < shapes.Length; b++)
            {
                var alone = new float[shapes[b].OutputLength];
                DepthwiseConv2dKernel.Forward(shapes[b], x, weights[b], [], alone, relu);
                ConvolutionData.AssertBitIdentical(alone, outputs[b], $"y[{b}] (relu {relu})");
                var expected = new float[shapes[b].OutputLength];
                Conv2dReference.Forward(shapes[b], input, weights[b], [], expected);
                ConvolutionData.AssertClose(expected, outputs[b], $"y[{b}] against the reference (relu {relu})");
            }
        }
    }

    [Fact]
    public void Shared_forward_is_bit_identical_at_one_and_two_threads()
    {
        var shapes = new[]
        {
            ConvolutionData.Shape(13, 5, 14, 14, 5, 3, 1, 1, 1, 5),
            ConvolutionData.Shape(13, 5, 14, 14, 5, 5, 1, 4, 2, 5),
        };
        var x = ConvolutionData.Random(shapes[0].InputLength, 4);
        var weights = shapes.Select((s, b) => ConvolutionData.Random(s.WeightLength, 20 + b)).ToArray();
        float[][] Run(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var outputs = shapes.Select(s => new float[s.OutputLength]).ToArray();
            DepthwiseConv2dKernel.ForwardShared(shapes, x, weights.Select(a => (ReadOnlyMemory<float>)a).ToArray(),
                outputs.Select(a => (Memory<float>)a).ToArray(), reluInput: true);
            return outputs;
        }
        var one = Run(1);
        var two = Run(2);
        for (int b = 0; b < shapes.Length; b++)
        {
            ConvolutionData.AssertBitIdentical(one[b], two[b], $"y[{b}]");
        }
    }

    [Fact]
    public void Mismatched_shapes_and_short_buffers_are_named()
    {
        var a = ConvolutionData.Shape(2, 3, 8, 8, 3, 3, 1, 1, 1, 3);
        var other = ConvolutionData.Shape(2, 3, 8, 8, 3, 3, 2, 1, 1, 3);
        var x = new float[a.InputLength];
        var w = new float[a.WeightLength];
        var ex = Assert.Throws<ArgumentException>(() => DepthwiseConv2dKernel.ForwardShared([a, other], x,
            [w, w], [new float[a.OutputLength], new float[other.OutputLength]]));
        Assert.Contains("shape 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => DepthwiseConv2dKernel.ForwardShared([a], x, [w],
            [new float[a.OutputLength - 1]]));
        Assert.Contains("outputs", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => DepthwiseConv2dKernel.ForwardShared([a, a], x, [w],
            [new float[a.OutputLength]]));
        Assert.Contains("one weight and one output per shape", ex.Message);
    }
}

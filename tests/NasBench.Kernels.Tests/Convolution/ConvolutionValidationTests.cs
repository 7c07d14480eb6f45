using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Convolution;

public class ConvolutionValidationTests
{
    private static readonly Conv2dShape Good = new(2, 4, 6, 6, 4, 3, 3, PadH: 1, PadW: 1);

    public static TheoryData<Conv2dShape, string> BadShapes => new()
    {
        { Good with { Batch = 0 }, "Batch" },
        { Good with { InChannels = -1 }, "InChannels" },
        { Good with { Width = 0 }, "Width" },
        { Good with { KernelH = 0 }, "KernelH" },
        { Good with { StrideW = 0 }, "StrideW" },
        { Good with { DilationH = 0 }, "DilationH" },
        { Good with { PadW = -1 }, "PadW" },
        { Good with { Groups = 3 }, "Groups" },
        { Good with { Groups = 0 }, "Groups" },
        { Good with { KernelH = 9 }, "OutHeight" },
        { Good with { KernelW = 5, DilationW = 3 }, "OutWidth" },
        // Truncating division alone would report one output row here.
        { new Conv2dShape(1, 1, 4, 4, 1, 5, 5, StrideH: 2, StrideW: 2), "OutHeight" },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public void Bad_geometry_throws_naming_the_field(Conv2dShape s, string field)
    {
        var x = new float[4096];
        var w = new float[4096];
        var y = new float[4096];
        AssertNames(field, () => Conv2dKernel.Forward(s, x, w, [], y));
        AssertNames(field, () => Conv2dKernel.BackwardData(s, y, w, x, false));
        AssertNames(field, () => Conv2dKernel.BackwardWeight(s, x, y, w, [], false));
        AssertNames(field, () => DepthwiseConv2dKernel.Forward(s, x, w, [], y));
        AssertNames(field, () => DepthwiseConv2dKernel.BackwardData(s, y, w, x, false));
        AssertNames(field, () => DepthwiseConv2dKernel.BackwardWeight(s, x, y, w, [], false));
    }

    [Fact]
    public void Depthwise_kernel_rejects_a_dense_shape_naming_groups()
    {
        var s = Good with { Groups = 2 };
        var ex = Assert.Throws<ArgumentException>(() =>
            DepthwiseConv2dKernel.Forward(s, new float[s.InputLength], new float[s.WeightLength], [],
                new float[s.OutputLength]));
        Assert.Contains("Groups", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_buffers_throw_with_the_parameter_name()
    {
        var s = Good;
        var ex = Assert.Throws<ArgumentException>(() =>
            Conv2dKernel.Forward(s, new float[s.InputLength - 1], new float[s.WeightLength], [],
                new float[s.OutputLength]));
        Assert.Equal("x", ex.ParamName);
        var dw = Good with { OutChannels = 4, Groups = 4 };
        ex = Assert.Throws<ArgumentException>(() =>
            DepthwiseConv2dKernel.BackwardWeight(dw, new float[dw.InputLength], new float[dw.OutputLength],
                new float[dw.WeightLength], new float[3], false));
        Assert.Equal("dbias", ex.ParamName);
    }

    private static void AssertNames(string field, Action call)
    {
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.StartsWith(field, ex.Message, StringComparison.Ordinal);
    }
}

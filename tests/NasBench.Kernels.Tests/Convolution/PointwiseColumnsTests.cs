using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary><see cref="PointwiseConvKernel.ForwardColumns"/>, <see cref="PointwiseConvKernel.BackwardDataColumns"/> and
/// <see cref="PointwiseConvKernel.BackwardWeightColumns"/> (the batch-minor 1×1 convolution) against the reference on a one-image, one-row plane of the same columns.</summary>
public class PointwiseColumnsTests
{
    /// <param name="columns">Under one chunk; whole chunks; a last chunk of 5 columns (its tail vector reaches into the
    /// chunk before, masked); the 7×7 and 14×14 batch-minor planes of 64 images.</param>
    [Vector512Theory]
    [InlineData(4, 3, 40)]
    [InlineData(8, 8, 2048)]
    [InlineData(5, 6, 1029)]
    [InlineData(64, 64, 3136)]
    [InlineData(32, 32, 12544)]
    public void Column_products_match_the_reference(int cout, int cin, int columns)
    {
        var s = new Conv2dShape(1, cin, 1, columns, cout, 1, 1);
        var x = ConvolutionData.Random(s.InputLength, 1);
        var w = ConvolutionData.Random(s.WeightLength, 2);
        var dy = ConvolutionData.Random(s.OutputLength, 3);
        var yRef = new float[s.OutputLength];
        Conv2dReference.Forward(s, x, w, [], yRef);
        var y = ConvolutionData.Random(s.OutputLength, 4);
        PointwiseConvKernel.ForwardColumns(cout, cin, columns, w, x, y);
        ConvolutionData.AssertClose(yRef, y, "y");
        foreach (bool accumulate in new[] { false, true })
        {
            var dxRef = ConvolutionData.Random(s.InputLength, 5);
            var dx = (float[])dxRef.Clone();
            Conv2dReference.BackwardData(s, dy, w, dxRef, accumulate);
            PointwiseConvKernel.BackwardDataColumns(cout, cin, columns, dy, w, dx, accumulate);
            ConvolutionData.AssertClose(dxRef, dx, $"dx (accumulate {accumulate})");
            var dwRef = ConvolutionData.Random(s.WeightLength, 6);
            var dw = (float[])dwRef.Clone();
            Conv2dReference.BackwardWeight(s, x, dy, dwRef, [], accumulate);
            PointwiseConvKernel.BackwardWeightColumns(cout, cin, columns, dy, x, dw, accumulate);
            ConvolutionData.AssertClose(dwRef, dw, $"dw (accumulate {accumulate})");
        }
    }

    [Vector512Fact]
    public void One_and_two_threads_are_bit_identical()
    {
        const int cout = 6, cin = 5, columns = 3077;
        var x = ConvolutionData.Random(cin * columns, 11);
        var w = ConvolutionData.Random(cout * cin, 12);
        var dy = ConvolutionData.Random(cout * columns, 13);
        var results = new List<float[]>[2];
        for (int threads = 1; threads <= 2; threads++)
        {
            using var limit = CpuParallel.Limit(threads);
            var y = new float[cout * columns];
            var dx = ConvolutionData.Random(cin * columns, 14);
            PointwiseConvKernel.ForwardColumns(cout, cin, columns, w, x, y);
            PointwiseConvKernel.BackwardDataColumns(cout, cin, columns, dy, w, dx, accumulate: true);
            var dw = ConvolutionData.Random(cout * cin, 15);
            PointwiseConvKernel.BackwardWeightColumns(cout, cin, columns, dy, x, dw, accumulate: true);
            results[threads - 1] = [y, dx, dw];
        }
        ConvolutionData.AssertBitIdentical(results[0][0], results[1][0], "y");
        ConvolutionData.AssertBitIdentical(results[0][1], results[1][1], "dx");
        ConvolutionData.AssertBitIdentical(results[0][2], results[1][2], "dw");
    }

    [Vector512Fact]
    public void Fewer_than_sixteen_columns_are_refused_by_name() =>
        Assert.Contains("at least 16 pixels", Assert.Throws<ArgumentException>(() =>
            PointwiseConvKernel.ForwardColumns(2, 2, 15, new float[4], new float[30], new float[30])).Message);
}

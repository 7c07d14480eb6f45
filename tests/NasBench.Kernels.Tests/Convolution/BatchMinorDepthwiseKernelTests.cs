using NasBench.Kernels.Cpu;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Tests.Convolution;

/// <summary>The batch-minor depthwise kernel against <see cref="Conv2dReference"/> on the same data moved to NCHW, and
/// the layout moves against plain index loops.</summary>
public class BatchMinorDepthwiseKernelTests
{
    // Batch, channels, H, W, k, pad, dilation, stride. Batches cover a four-vector block (64), single vectors and scalar tails
    // (1, 3, 17, 70); the DARTS geometries (3×3 pad 1, 5×5 pad 2, dilated 3×3 pad 2 and 5×5 pad 4); planes narrower
    // than the dilated kernel's reach (2×3, 1×1), and paddings that shrink or keep the plane.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 64, 3, 7, 7, 3, 1, 1, 1 },
        { 64, 2, 7, 7, 5, 2, 1, 1 },
        { 70, 2, 7, 7, 3, 2, 2, 1 },
        { 17, 3, 7, 7, 5, 4, 2, 1 },
        { 3, 2, 14, 14, 5, 4, 2, 1 },
        { 1, 3, 5, 9, 3, 1, 1, 1 },
        { 20, 2, 2, 3, 5, 4, 2, 1 },
        { 33, 1, 1, 1, 3, 1, 1, 1 },
        { 5, 2, 9, 6, 3, 0, 1, 1 },
        { 6, 2, 8, 7, 5, 1, 2, 1 },
        // Stride 2: the reduction cells' first depthwise convolutions (14×14 → 7×7, 28×28 → 14×14), odd planes.
        { 64, 3, 14, 14, 3, 1, 1, 2 },
        { 17, 2, 14, 14, 5, 2, 1, 2 },
        { 70, 2, 14, 14, 3, 2, 2, 2 },
        { 5, 3, 7, 7, 5, 4, 2, 2 },
        { 3, 2, 9, 6, 3, 1, 1, 2 },
        { 20, 2, 2, 3, 5, 4, 2, 2 },
        { 4, 2, 28, 28, 5, 4, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void All_passes_match_the_NCHW_reference(int n, int c, int h, int w, int k, int pad, int dil, int stride)
    {
        var s = new BatchMinorDepthwiseShape(c, h, w, n, k, dil, pad, stride);
        var nchw = new Conv2dShape(n, c, h, w, c, k, k, stride, stride, pad, pad, dil, dil, c);
        int plane = h * w, outPlane = s.OutHeight * s.OutWidth;
        var x = ConvolutionData.Random((int)s.InputLength, 3);
        var weights = ConvolutionData.Random(s.WeightLength, 4);
        var dy = ConvolutionData.Random((int)s.OutputLength, 5);
        var xb = ToBatchMinor(x, n, c, plane);
        var dyb = ToBatchMinor(dy, n, c, outPlane);

        var yRef = new float[nchw.OutputLength];
        Conv2dReference.Forward(nchw, x, weights, [], yRef);
        var y = new float[s.OutputLength];
        BatchMinorDepthwiseKernel.Forward(s, xb, weights, y);
        ConvolutionData.AssertClose(yRef, FromBatchMinor(y, n, c, outPlane), "y");

        foreach (bool accumulate in new[] { false, true })
        {
            var dxRef = ConvolutionData.Random(nchw.InputLength, 6);
            var dx = ToBatchMinor(dxRef, n, c, plane);
            Conv2dReference.BackwardData(nchw, dy, weights, dxRef, accumulate);
            BatchMinorDepthwiseKernel.BackwardData(s, dyb, weights, dx, accumulate);
            ConvolutionData.AssertClose(dxRef, FromBatchMinor(dx, n, c, plane), $"dx (accumulate {accumulate})");

            var dwRef = ConvolutionData.Random(nchw.WeightLength, 7);
            var dw = (float[])dwRef.Clone();
            Conv2dReference.BackwardWeight(nchw, x, dy, dwRef, [], accumulate);
            BatchMinorDepthwiseKernel.BackwardWeight(s, xb, dyb, dw, accumulate);
            ConvolutionData.AssertClose(dwRef, dw, $"dw (accumulate {accumulate})");
        }
    }

    [Fact]
    public void A_lane_does_not_depend_on_the_batch_size_or_its_place_in_the_batch()
    {
        // Image 0 of a 70-image batch runs in a four-vector block, the same image alone runs as a scalar tail; both
        // must be the same FMA chain.
        var big = new BatchMinorDepthwiseShape(2, 7, 7, 70, 5, 2, 4);
        var one = big with { Batch = 1 };
        var xb = ConvolutionData.Random((int)big.InputLength, 11);
        var weights = ConvolutionData.Random(big.WeightLength, 12);
        var yBig = new float[big.OutputLength];
        BatchMinorDepthwiseKernel.Forward(big, xb, weights, yBig);
        for (int image = 0; image < 70; image += 23)
        {
            var x1 = new float[one.InputLength];
            for (int i = 0; i < x1.Length; i++)
            {
                x1[i] = xb[i * 70 + image];
            }
            var y1 = new float[one.OutputLength];
            BatchMinorDepthwiseKernel.Forward(one, x1, weights, y1);
            for (int i = 0; i < y1.Length; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(yBig[i * 70 + image]), BitConverter.SingleToInt32Bits(y1[i]));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void One_and_two_threads_are_bit_identical(int stride)
    {
        var s = new BatchMinorDepthwiseShape(40, 7, 7, 64, 5, 2, 4, stride);
        var x = ConvolutionData.Random((int)s.InputLength, 21);
        var weights = ConvolutionData.Random(s.WeightLength, 22);
        var dy = ConvolutionData.Random((int)s.OutputLength, 23);
        var results = new List<float[]>[2];
        for (int threads = 1; threads <= 2; threads++)
        {
            using var limit = CpuParallel.Limit(threads);
            var y = new float[s.OutputLength];
            var dx = new float[s.InputLength];
            var dw = new float[s.WeightLength];
            BatchMinorDepthwiseKernel.Forward(s, x, weights, y);
            BatchMinorDepthwiseKernel.BackwardData(s, dy, weights, dx, accumulate: false);
            BatchMinorDepthwiseKernel.BackwardWeight(s, x, dy, dw, accumulate: false);
            results[threads - 1] = [y, dx, dw];
        }
        string[] names = ["y", "dx", "dw"];
        for (int i = 0; i < names.Length; i++)
        {
            ConvolutionData.AssertBitIdentical(results[0][i], results[1][i], names[i]);
        }
    }

    [Fact]
    public void Bad_geometry_and_short_spans_are_named()
    {
        var s = new BatchMinorDepthwiseShape(2, 7, 7, 4, 3, 1, 1);
        var x = new float[s.InputLength];
        var w = new float[s.WeightLength];
        var e = Assert.Throws<ArgumentException>(() =>
            BatchMinorDepthwiseKernel.Forward(s, x, w, new float[s.OutputLength - 1]));
        Assert.Contains("y holds", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            BatchMinorDepthwiseKernel.Forward(s with { Batch = 0 }, x, w, new float[s.OutputLength]));
        Assert.Contains("batch must be at least 1", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            BatchMinorDepthwiseKernel.Forward(s with { Padding = 3 }, x, w, new float[s.OutputLength]));
        Assert.Contains("padding 3", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            BatchMinorDepthwiseKernel.Forward(s with { Stride = 0 }, x, w, new float[s.OutputLength]));
        Assert.Contains("stride must be at least 1", e.Message);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 49)]
    [InlineData(64, 5, 49)]
    [InlineData(70, 3, 196)]
    [InlineData(17, 2, 33)]
    public void Layout_moves_are_exact_transposes_and_add_what_they_are_given(int n, int c, int plane)
    {
        var x = ConvolutionData.Random(n * c * plane, 31);
        var y = new float[x.Length];
        BatchMinorLayout.ToBatchMinor(n, c, plane, x, y);
        Assert.Equal(ToBatchMinor(x, n, c, plane), y);

        var addend = ConvolutionData.Random(x.Length, 32);
        var back = new float[x.Length];
        BatchMinorLayout.FromBatchMinor(n, c, plane, y, back, addend: addend);
        var expected = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            expected[i] = addend[i] + x[i];
        }
        Assert.Equal(expected, back);

        // Accumulating adds onto what is there, in either direction.
        var start = ConvolutionData.Random(x.Length, 33);
        var sum = (float[])start.Clone();
        BatchMinorLayout.FromBatchMinor(n, c, plane, y, sum, accumulate: true);
        var sumB = (float[])start.Clone();
        BatchMinorLayout.ToBatchMinor(n, c, plane, x, sumB, accumulate: true);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(start[i] + x[i], sum[i]);
            Assert.Equal(start[i] + y[i], sumB[i]);
        }
    }

    [Fact]
    public void Layout_moves_name_short_spans()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            BatchMinorLayout.ToBatchMinor(2, 3, 4, new float[24], new float[23]));
        Assert.Contains("y holds 23 elements, 24 needed", e.Message);
    }

    private static float[] ToBatchMinor(float[] x, int n, int c, int plane)
    {
        var y = new float[x.Length];
        for (int i = 0; i < n; i++)
        for (int ch = 0; ch < c; ch++)
        for (int p = 0; p < plane; p++)
        {
            y[((long)ch * plane + p) * n + i] = x[((long)i * c + ch) * plane + p];
        }
        return y;
    }

    private static float[] FromBatchMinor(float[] y, int n, int c, int plane)
    {
        var x = new float[y.Length];
        for (int i = 0; i < n; i++)
        for (int ch = 0; ch < c; ch++)
        for (int p = 0; p < plane; p++)
        {
            x[((long)i * c + ch) * plane + p] = y[((long)ch * plane + p) * n + i];
        }
        return x;
    }
}

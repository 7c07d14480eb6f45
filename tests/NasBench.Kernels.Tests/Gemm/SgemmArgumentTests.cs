using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Gemm;

[Collection(GemmCollection.Name)]
public class SgemmArgumentTests
{
    [Theory]
    [InlineData(-1, 2, 2)]
    [InlineData(2, -1, 2)]
    [InlineData(2, 2, -1)]
    public void Negative_size_throws(int m, int n, int k) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sgemm.Multiply(false, false, m, n, k, 1f, new float[16], 4, new float[16], 4, 0f, new float[16], 4));

    [Fact]
    public void Short_a_throws_naming_a()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, false, 3, 2, 4, 1f, new float[11], 4, new float[8], 2, 0f, new float[6], 2));
        Assert.Equal("a", e.ParamName);
    }

    [Fact]
    public void Short_transposed_b_throws_naming_b()
    {
        // B stored n×k = 2×4 with ldb 5 needs 5 + 4 = 9 floats.
        var e = Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, true, 3, 2, 4, 1f, new float[12], 4, new float[8], 5, 0f, new float[6], 2));
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void Short_c_throws_naming_c()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, false, 3, 2, 4, 1f, new float[12], 4, new float[8], 2, 0f, new float[5], 2));
        Assert.Equal("c", e.ParamName);
    }

    [Theory]
    [InlineData(false, 3)]
    [InlineData(true, 2)]
    public void Stride_shorter_than_row_throws(bool transA, int lda) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sgemm.Multiply(transA, false, 3, 2, 4, 1f, new float[64], lda, new float[64], 2, 0f, new float[64], 2));
}

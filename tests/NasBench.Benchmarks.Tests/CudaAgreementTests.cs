using NasBench.Benchmarks.Kernels;

namespace NasBench.Benchmarks.Tests;

public class CudaAgreementTests
{
    [Fact]
    public void Absolute_error_is_the_largest_difference()
    {
        var a = CudaAgreement.Absolute("y", [1f, 100f, -3f], [1.5f, 101f, -3f], 2);
        Assert.Equal(1, a.MaxError, 6);
        Assert.True(a.Agrees);
        Assert.Equal(0.5, a.Severity, 6);
        Assert.False(a.Relative);
    }

    [Fact]
    public void Relative_error_divides_by_the_CPU_value_only_above_one()
    {
        // 1 off at 100 is 0.01; 0.25 off at 0.5 stays 0.25 (absolute below 1).
        var a = CudaAgreement.RelativeAboveOne("y", [100f, 0.5f], [101f, 0.25f], 0.1);
        Assert.Equal(0.25, a.MaxError, 6);
        Assert.False(a.Agrees);
    }

    [Fact]
    public void NaN_on_one_side_only_is_an_infinite_error_and_on_both_agrees()
    {
        Assert.Equal(double.PositiveInfinity, CudaAgreement.Absolute("y", [1f], [float.NaN], 1e9).MaxError);
        Assert.Equal(double.PositiveInfinity, CudaAgreement.Absolute("y", [float.NaN], [1f], 1e9).MaxError);
        Assert.Equal(0, CudaAgreement.Absolute("y", [float.NaN, float.PositiveInfinity],
            [float.NaN, float.PositiveInfinity], 0).MaxError);
        Assert.Equal(double.PositiveInfinity,
            CudaAgreement.Absolute("y", [float.PositiveInfinity], [float.NegativeInfinity], 1e9).MaxError);
    }

    [Fact]
    public void A_zero_tolerance_fails_any_difference()
    {
        var a = CudaAgreement.Absolute("y", [1f], [1.0000001f], 0);
        Assert.False(a.Agrees);
        Assert.Equal(double.PositiveInfinity, a.Severity);
        Assert.Equal(0, CudaAgreement.Absolute("y", [1f], [1f], 0).Severity);
    }

    [Fact]
    public void Lengths_that_differ_are_a_bug_in_the_case()
    {
        Assert.Throws<ArgumentException>(() => CudaAgreement.Absolute("y", [1f, 2f], [1f], 0));
    }
}

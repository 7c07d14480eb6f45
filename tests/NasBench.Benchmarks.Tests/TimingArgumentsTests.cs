using NasBench.Benchmarks.Infrastructure;

namespace NasBench.Benchmarks.Tests;

public class TimingArgumentsTests
{
    [Fact]
    public void Present_arguments_are_parsed_and_absent_ones_fall_back()
    {
        string[] args = ["2", "0"];
        Assert.Equal(2, TimingArguments.Int(args, 0, "THREADS"));
        Assert.Equal(0, TimingArguments.Int(args, 1, "WARM", fallback: 3, min: 0));
        Assert.Equal(10, TimingArguments.Int(args, 2, "STEPS", fallback: 10));
    }

    [Theory]
    [InlineData("x", "THREADS must be an integer ≥ 1, got 'x'.")]
    [InlineData("0", "THREADS must be an integer ≥ 1, got '0'.")]
    [InlineData("-2", "THREADS must be an integer ≥ 1, got '-2'.")]
    [InlineData("1.5", "THREADS must be an integer ≥ 1, got '1.5'.")]
    public void Bad_arguments_name_themselves_and_what_was_expected(string value, string message)
    {
        var e = Assert.Throws<TimingUsageException>(() => TimingArguments.Int([value], 0, "THREADS"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_required_argument_that_is_missing_is_named()
    {
        var e = Assert.Throws<TimingUsageException>(() => TimingArguments.Int([], 0, "THREADS"));
        Assert.Equal("THREADS is required.", e.Message);
    }
}

using NasBench.Benchmarks.Comparison;

namespace NasBench.Benchmarks.Tests;

public class BenchmarkComparerTests
{
    private static readonly double[] Fast = [100, 101, 99, 100.5, 99.5, 100.2, 99.8, 100.1, 99.9, 100.3];

    private static BenchmarkSample Sample(string name, IEnumerable<double> values) => new(name, values.ToArray(), "t");

    private static BenchmarkComparison Compare(double[] baseline, double[] diff, ComparisonSettings? settings = null) =>
        BenchmarkComparer.Compare(Sample("X", baseline), Sample("X", diff), settings ?? new ComparisonSettings());

    [Fact]
    public void A_clear_slowdown_beyond_the_threshold_is_slower()
    {
        var result = Compare(Fast, Fast.Select(v => v * 1.2).ToArray());
        Assert.Equal(ComparisonVerdict.Slower, result.Verdict);
        Assert.Equal(1.2, result.Ratio!.Value, 1e-12);
        Assert.True(result.PValue < 0.001);
    }

    [Fact]
    public void A_clear_speedup_beyond_the_threshold_is_faster()
    {
        var result = Compare(Fast, Fast.Select(v => v / 1.2).ToArray());
        Assert.Equal(ComparisonVerdict.Faster, result.Verdict);
    }

    [Fact]
    public void A_significant_change_below_the_threshold_is_same()
    {
        // +3 % on every iteration: significant, but under a 5 % threshold.
        var result = Compare(Fast, Fast.Select(v => v * 1.03).ToArray());
        Assert.True(result.PValue < 0.05);
        Assert.Equal(ComparisonVerdict.Same, result.Verdict);
        Assert.Equal(ComparisonVerdict.Slower,
            Compare(Fast, Fast.Select(v => v * 1.03).ToArray(), new ComparisonSettings(Threshold: 0.02)).Verdict);
    }

    [Fact]
    public void A_change_below_the_noise_floor_is_same_whatever_its_ratio()
    {
        double[] tiny = [1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0];
        var result = Compare(tiny, tiny.Select(v => v * 1.1).ToArray());
        Assert.True(result.PValue < 0.05);
        Assert.Equal(ComparisonVerdict.Same, result.Verdict);
        Assert.Equal(ComparisonVerdict.Slower,
            Compare(tiny, tiny.Select(v => v * 1.1).ToArray(), new ComparisonSettings(NoiseNanoseconds: 0.05)).Verdict);
    }

    [Fact]
    public void A_large_ratio_that_is_not_significant_is_same()
    {
        // Three iterations per side can never reach p < 0.05 (the smallest possible p is 0.081).
        var result = Compare([10, 11, 12], [20, 21, 22]);
        Assert.Equal(21.0 / 11.0, result.Ratio!.Value, 1e-12);
        Assert.Equal(ComparisonVerdict.Same, result.Verdict);
    }

    [Fact]
    public void Benchmarks_are_matched_by_full_name_and_the_rest_listed()
    {
        var baseline = new[] { Sample("A", Fast), Sample("B", Fast), Sample("Gone", Fast) };
        var diff = new[] { Sample("B", Fast.Select(v => v * 2)), Sample("A", Fast), Sample("New", Fast) };
        var result = BenchmarkComparer.Compare("b", baseline, "d", diff, new ComparisonSettings());
        Assert.Equal(["A", "B"], result.Benchmarks.Select(b => b.FullName));
        Assert.Equal(ComparisonVerdict.Same, result.Benchmarks[0].Verdict);
        Assert.Equal(ComparisonVerdict.Slower, result.Benchmarks[1].Verdict);
        Assert.Equal(["Gone"], result.OnlyInBase);
        Assert.Equal(["New"], result.OnlyInDiff);
        Assert.True(result.HasRegression);
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("12.5%", 0.125)]
    [InlineData(" 0% ", 0.0)]
    public void Thresholds_parse_as_percentages(string text, double expected) =>
        Assert.Equal(expected, ComparisonSettings.ParseThreshold(text), 1e-15);

    [Theory]
    [InlineData("5")]
    [InlineData("0.05")]
    [InlineData("-5%")]
    [InlineData("abc%")]
    public void Thresholds_without_a_percent_sign_or_negative_are_rejected(string text) =>
        Assert.Throws<ComparisonException>(() => ComparisonSettings.ParseThreshold(text));

    [Theory]
    [InlineData("0.3ns", 0.3)]
    [InlineData("2us", 2000)]
    [InlineData("2μs", 2000)]
    [InlineData("1.5ms", 1.5e6)]
    [InlineData("1s", 1e9)]
    public void Noise_durations_parse_to_nanoseconds(string text, double expected) =>
        Assert.Equal(expected, ComparisonSettings.ParseDuration(text), 1e-9);

    [Theory]
    [InlineData("3")]
    [InlineData("3 parsecs")]
    [InlineData("-1ns")]
    public void Noise_without_a_unit_is_rejected(string text) =>
        Assert.Throws<ComparisonException>(() => ComparisonSettings.ParseDuration(text));
}

using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Tests.Latency;

public class LatencyTableRoundsTests
{
    [Fact]
    public void Entry_wise_median_drops_one_busy_round()
    {
        var a = TestTables.Op("sep_conv_3x3", 8, 28);
        var b = TestTables.Op("max_pool_3x3", 8, 28);
        var rounds = new[]
        {
            TestTables.Table("phone", (a, 1.0), (b, 0.2)),
            TestTables.Table("phone", (a, 1.6), (b, 0.21)),
            TestTables.Table("phone", (a, 1.02), (b, 0.35)),
        };
        var median = LatencyTableRounds.Median(rounds);
        Assert.Equal(1.02, median.LatencyMs(a), 12);
        Assert.Equal(0.21, median.LatencyMs(b), 12);
        Assert.Equal(45, median.Entries[0].Samples);
        Assert.Equal(0.5 * (1.0 + 1.02), LatencyTableRounds.MedianOf([1.0, 1.6, 1.02, 0.9]), 12);
    }

    [Fact]
    public void Rounds_of_another_target_or_missing_an_entry_are_refused()
    {
        var a = TestTables.Op("sep_conv_3x3", 8, 28);
        var b = TestTables.Op("max_pool_3x3", 8, 28);
        Assert.Throws<LatencyTableFormatException>(() => LatencyTableRounds.Median(
            [TestTables.Table("phone", (a, 1.0)), TestTables.Table("watch", (a, 1.0))]));
        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTableRounds.Median(
            [TestTables.Table("phone", (a, 1.0), (b, 0.2)), TestTables.Table("phone", (a, 1.0))]));
        Assert.Contains("missing entry 'max_pool_3x3/", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LatencyTableRounds.Median([]));
    }
}

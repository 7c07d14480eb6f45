using NasBench.Hardware.Latency;

namespace NasBench.Hardware.Tests.Latency;

public class LatencyComparisonTests
{
    [Fact]
    public void Ratios_geometric_mean_and_most_different_operation()
    {
        var a1 = TestTables.Op("sep_conv_3x3", 16, 28);
        var a2 = TestTables.Op("max_pool_3x3", 16, 28);
        var a3 = TestTables.Op("dil_conv_3x3", 16, 28);
        var onlyA = TestTables.Op("skip_connect", 16, 28);
        var onlyB = TestTables.Op("none", 16, 28);
        var a = TestTables.Table("cpu", (a1, 1), (a2, 2), (a3, 4), (onlyA, 1));
        var b = TestTables.Table("phone", (a1, 2), (a2, 4), (a3, 32), (onlyB, 1));
        var c = LatencyComparison.Compare(a, b);
        Assert.Equal(3, c.Rows.Count);
        Assert.Equal([2.0, 2.0, 8.0], c.Rows.Select(r => r.Ratio));
        Assert.Equal(Math.Pow(2 * 2 * 8, 1.0 / 3), c.GeometricMeanRatio, 12);
        Assert.Equal(a3, c.MostDifferent(1)[0].Operation);
        Assert.Equal([onlyA.Key], c.OnlyInA);
        Assert.Equal([onlyB.Key], c.OnlyInB);
        var byOp = c.ByOperation().ToDictionary(o => o.Operation, o => o.GeometricMeanRatio);
        Assert.Equal(8.0, byOp["dil_conv_3x3"], 12);
    }

    [Fact]
    public void Tables_without_a_shared_entry_cannot_be_compared()
    {
        var a = TestTables.Table("cpu", (TestTables.Op("none", 8, 8), 1));
        var b = TestTables.Table("phone", (TestTables.Op("none", 8, 16), 1));
        Assert.Throws<ArgumentException>(() => LatencyComparison.Compare(a, b));
    }
}

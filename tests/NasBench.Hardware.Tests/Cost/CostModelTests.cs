using NasBench.Hardware.Cost;
using NasBench.Hardware.Estimation;
using NasBench.Search.Darts.Hardware;

namespace NasBench.Hardware.Tests.Cost;

public class CostModelTests
{
    private static readonly DartsOperationAnalyzer Analyzer = new();

    [Fact]
    public void Lookup_sum_equals_the_sum_of_the_entries_it_names_with_repetition()
    {
        var a = TestTables.Op("sep_conv_3x3", 16, 28);
        var b = TestTables.Op("max_pool_3x3", 16, 28);
        var c = TestTables.Op("dil_conv_5x5", 16, 14);
        var table = TestTables.Table("phone", (a, 1.5), (b, 0.25), (c, 3.0));
        var estimator = new LookupTableEstimator(table);
        Assert.Equal((2 * 1.5) + 0.25 + (3 * 3.0), estimator.EstimateMs([a, b, c, a, c, c]), 12);
        Assert.Equal(0, estimator.EstimateMs([]));
        var breakdown = estimator.Breakdown([a, b, c, a, c, c]);
        Assert.Equal(("dil_conv_5x5", 3, 9.0), breakdown[0]);
        var model = new TableLatencyCostModel(table);
        Assert.Equal(0.25, model.Cost(b));
        Assert.Equal("latency:phone", model.Name);
        Assert.Throws<KeyNotFoundException>(() => estimator.EstimateMs([a, TestTables.Op("none", 16, 28)]));
    }

    [Fact]
    public void Analyzer_counts_macs_by_the_formulas_of_the_ops()
    {
        int c = 16, h = 14;
        var sep = Analyzer.Count(new OperationConfig("sep_conv_5x5", c, c, h, h, 1, 5, 1, 1));
        Assert.Equal((2L * c * 25 * h * h) + (2L * c * c * h * h), sep.Macs);
        Assert.Equal(2L * ((25 * c) + (c * c) + (2 * c)), sep.Parameters);
        var dilStrided = Analyzer.Count(new OperationConfig("dil_conv_3x3", c, c, h, h, 2, 3, 2, 4));
        Assert.Equal(4L * ((c * 9 * 7 * 7) + (c * c * 7 * 7)), dilStrided.Macs);
        var skip2 = Analyzer.Count(new OperationConfig("skip_connect", c, c, h, h, 2, 1, 1, 1));
        Assert.Equal((long)c * c * 7 * 7, skip2.Macs);
        Assert.Equal((long)(c * c) + (2 * c), skip2.Parameters);
        Assert.Equal(0, Analyzer.Count(new OperationConfig("max_pool_3x3", c, c, h, h, 1, 3, 1, 1)).Macs);
        Assert.Equal(new OperationCounts(0, 0, 0), Analyzer.Count(new OperationConfig("skip_connect", c, c, h, h, 1,
            1, 1, 1)));
        Assert.Throws<ArgumentException>(() => Analyzer.Count(new OperationConfig("conv_7x1_1x7", c, c, h, h, 1, 7,
            1, 1)));
    }

    [Fact]
    public void Energy_model_is_per_mac_plus_per_byte_at_batch_one()
    {
        var op = new OperationConfig("sep_conv_3x3", 8, 8, 28, 28, 1, 3, 1, 64);
        var counts = Analyzer.Count(op with { Batch = 1 });
        var coefficients = new EnergyCoefficients("cpu", 4.6, 160, "test");
        var model = new EnergyCostModel(Analyzer, coefficients);
        double expected = ((4.6 * counts.Macs) + (160 * ((4.0 * counts.Parameters) + (2.0 * counts.ActivationBytes))))
            * 1e-6;
        Assert.Equal(expected, model.Cost(op), 12);
        Assert.True(model.Cost(op) > 0);
        Assert.Equal(counts.ActivationBytes, new ActivationMemoryCostModel(Analyzer).Cost(op));
        Assert.Equal(counts.Macs, new MacCostModel(Analyzer).Cost(op));
    }

    [Fact]
    public void Energy_coefficients_are_read_from_json_and_bad_fields_are_named()
    {
        string path = TestTables.TempFile(".json");
        try
        {
            File.WriteAllText(path, """{"target":"phone","picojoulesPerMac":1.5,"picojoulesPerByte":20,"source":"x"}""");
            Assert.Equal(new EnergyCoefficients("phone", 1.5, 20, "x"), EnergyCoefficients.Read(path));
            File.WriteAllText(path, """{"picojoulesPerMac":-1,"picojoulesPerByte":20}""");
            var e = Assert.Throws<FormatException>(() => EnergyCoefficients.Read(path));
            Assert.Contains("picojoulesPerMac", e.Message, StringComparison.Ordinal);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

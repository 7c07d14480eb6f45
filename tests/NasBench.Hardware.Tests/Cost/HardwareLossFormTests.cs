using NasBench.Hardware.Cost;

namespace NasBench.Hardware.Tests.Cost;

public class HardwareLossFormTests
{
    public static TheoryData<string> Forms => ["additive:0.3", "fbnet", "fbnet:0.5:1.7", "mul#log", "mul#log:0.4:0.9",
        "add#linear", "add#linear:0.25"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Derivatives_match_central_finite_differences(string text)
    {
        var form = HardwareLossForm.Parse(text, reference: 20);
        foreach (var (ce, lat) in new[] { (2.3, 12.0), (0.4, 35.0), (1.1, 3.5) })
        {
            var v = form.Evaluate(ce, lat);
            double h = 1e-5;
            double dCe = (form.Evaluate(ce + h, lat).Loss - form.Evaluate(ce - h, lat).Loss) / (2 * h);
            double dLat = (form.Evaluate(ce, lat + h).Loss - form.Evaluate(ce, lat - h).Loss) / (2 * h);
            Assert.Equal(dCe, v.DCrossEntropy, 6);
            Assert.Equal(dLat, v.DLatency, 6);
        }
    }

    [Fact]
    public void Values_match_the_formulas_of_darts_md_section_3()
    {
        Assert.Equal(2.0 + (0.5 * 3.0), HardwareLossForm.Additive(0.5).Evaluate(2, 3).Loss, 12);
        Assert.Equal(2.0 * 0.2 * Math.Pow(Math.Log(30), 0.6), HardwareLossForm.FbNet().Evaluate(2, 30).Loss, 12);
        Assert.Equal(0.2 * 2.0 * Math.Pow(Math.Log(30) / Math.Log(80), 0.3),
            HardwareLossForm.ProxylessMulLog(80).Evaluate(2, 30).Loss, 12);
        Assert.Equal(2.0 + (0.1 * (30.0 - 80.0) / 80.0), HardwareLossForm.ProxylessAddLinear(80).Evaluate(2, 30).Loss,
            12);
    }

    [Fact]
    public void Log_forms_refuse_a_latency_at_or_below_one_and_unknown_forms_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HardwareLossForm.FbNet().Evaluate(1, 0.8));
        Assert.Throws<ArgumentOutOfRangeException>(() => HardwareLossForm.ProxylessMulLog(1).Evaluate(1, 5));
        var e = Assert.Throws<FormatException>(() => HardwareLossForm.Parse("exp"));
        Assert.Contains("fbnet", e.Message, StringComparison.Ordinal);
    }
}

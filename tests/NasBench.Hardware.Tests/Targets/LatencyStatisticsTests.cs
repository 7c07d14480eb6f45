using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Tests.Targets;

public class LatencyStatisticsTests
{
    [Fact]
    public void Median_quartiles_and_Tukey_outliers_match_hand_values()
    {
        // 1..9 plus one far outlier: Q1 = 3.25, Q3 = 7.75 (type 7 on 10 values), IQR 4.5, upper fence 14.5.
        double[] samples = [5, 1, 9, 2, 8, 3, 7, 4, 6, 100];
        var s = LatencyStatistics.FromSamples(samples);
        Assert.Equal(10, s.Samples);
        Assert.Equal(1, s.Outliers);
        Assert.Equal(5.0, s.MedianMs, 12);
        Assert.Equal(3.0, s.Q1Ms, 12);
        Assert.Equal(7.0, s.Q3Ms, 12);
        Assert.Equal(1.0, s.MinMs, 12);
        Assert.Equal(5.0, s.MeanMs, 12);
        Assert.Equal(4.0 / 5.0, s.RelativeIqr, 12);
    }

    [Fact]
    public void Bad_samples_are_refused_with_their_index()
    {
        Assert.Throws<ArgumentException>(() => LatencyStatistics.FromSamples([]));
        var e = Assert.Throws<ArgumentException>(() => LatencyStatistics.FromSamples([1, 2, double.NaN]));
        Assert.Contains("sample 2", e.Message, StringComparison.Ordinal);
    }
}

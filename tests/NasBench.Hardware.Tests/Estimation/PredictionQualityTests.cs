using NasBench.Hardware.Estimation;

namespace NasBench.Hardware.Tests.Estimation;

public class PredictionQualityTests
{
    [Fact]
    public void Shares_rmspe_and_bias_match_hand_values()
    {
        double[] measured = [10, 20, 40, 80];
        double[] predicted = [10.5, 17, 40, 96]; // relative errors +5 %, −15 %, 0 %, +20 %
        var q = PredictionQuality.Compute(predicted, measured);
        Assert.Equal(0.5, q.Within10, 12);
        Assert.Equal(0.5, q.Within5, 12);
        Assert.Equal(Math.Sqrt(((0.05 * 0.05) + (0.15 * 0.15) + (0.2 * 0.2)) / 4), q.Rmspe, 12);
        Assert.Equal((0.05 + 0.15 + 0.2) / 4, q.Mape, 12);
        Assert.Equal((0.05 - 0.15 + 0.2) / 4, q.MeanBias, 12);
        Assert.Equal(1.0, q.KendallTau, 12);
    }

    [Fact]
    public void Kendall_tau_of_known_orderings()
    {
        Assert.Equal(4.0 / 6.0, PredictionQuality.RankCorrelation([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.Equal(-1.0, PredictionQuality.RankCorrelation([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        // τ-b with one tie in y: (C − D)/√((n0)(n0 − 1)) = 5/√(6·5).
        Assert.Equal(5 / Math.Sqrt(30), PredictionQuality.RankCorrelation([1, 2, 3, 4], [1, 2, 2, 4]), 12);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PredictionQuality.Compute([1], [1]));
        Assert.Throws<ArgumentException>(() => PredictionQuality.Compute([1, 2], [1, 0]));
        Assert.Throws<ArgumentException>(() => PredictionQuality.Compute([1, 2, 3], [1, 2]));
    }
}

namespace NasBench.Hardware.Estimation;

/// <summary>Latency-estimator quality the way the field reports it (nn-Meter, darts.md §5.1): the share of models
/// within ±10 % (and ±5 %) of measured latency, RMSPE, and Kendall τ rank correlation.</summary>
/// <param name="Count">Models compared.</param>
/// <param name="Within10">Share (0–1) with |ŷ − y|/y ≤ 0.10.</param>
/// <param name="Within5">Share with |ŷ − y|/y ≤ 0.05.</param>
/// <param name="Rmspe">√mean(((ŷ − y)/y)²), as a fraction (0.05 = 5 %).</param>
/// <param name="Mape">mean(|ŷ − y|/y).</param>
/// <param name="KendallTau">τ-b between ŷ and y (ties handled).</param>
/// <param name="MeanBias">mean((ŷ − y)/y): positive when the estimator over-estimates.</param>
public sealed record PredictionQuality(int Count, double Within10, double Within5, double Rmspe, double Mape,
    double KendallTau, double MeanBias)
{
    /// <exception cref="ArgumentException">Lengths differ, fewer than 2 models, or a measured value ≤ 0.</exception>
    public static PredictionQuality Compute(IReadOnlyList<double> predicted, IReadOnlyList<double> measured)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(measured);
        if (predicted.Count != measured.Count || measured.Count < 2)
        {
            throw new ArgumentException(
                $"Need two equally long lists of at least 2 values; got {predicted.Count} predicted and "
                + $"{measured.Count} measured.");
        }
        int n = measured.Count;
        double within10 = 0, within5 = 0, squares = 0, absolute = 0, bias = 0;
        for (int i = 0; i < n; i++)
        {
            if (!(measured[i] > 0))
            {
                throw new ArgumentException($"Measured latency {i} is {measured[i]}; expected > 0.", nameof(measured));
            }
            double relative = (predicted[i] - measured[i]) / measured[i];
            within10 += Math.Abs(relative) <= 0.10 ? 1 : 0;
            within5 += Math.Abs(relative) <= 0.05 ? 1 : 0;
            squares += relative * relative;
            absolute += Math.Abs(relative);
            bias += relative;
        }
        return new PredictionQuality(n, within10 / n, within5 / n, Math.Sqrt(squares / n), absolute / n,
            RankCorrelation(predicted, measured), bias / n);
    }

    /// <summary>Kendall's τ-b: (concordant − discordant) / √((n0 − tiesX)(n0 − tiesY)); O(n²), fine for the
    /// hundreds of models a study measures.</summary>
    public static double RankCorrelation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < x.Count; i++)
        {
            for (int j = i + 1; j < x.Count; j++)
            {
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0 && sy == 0)
                {
                    continue;
                }
                if (sx == 0)
                {
                    tiesX++;
                }
                else if (sy == 0)
                {
                    tiesY++;
                }
                else if (sx == sy)
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }
        double denominator = Math.Sqrt((double)(concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }
}

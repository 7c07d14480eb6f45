namespace NasBench.Hardware.Targets;

/// <summary>The result of one latency measurement under <see cref="MeasurementProtocol"/>, in milliseconds per call.
/// </summary>
/// <param name="MedianMs">Median of the kept samples: the figure tables and reports use.</param>
/// <param name="Q1Ms">First quartile of the kept samples.</param>
/// <param name="Q3Ms">Third quartile of the kept samples.</param>
/// <param name="MinMs">Fastest kept sample.</param>
/// <param name="MeanMs">Mean of the kept samples.</param>
/// <param name="Samples">Timed samples taken (kept + outliers).</param>
/// <param name="Outliers">Samples outside the Tukey fences [Q1 − 1.5·IQR, Q3 + 1.5·IQR], dropped before the summary.
/// </param>
/// <param name="CallsPerSample">Calls averaged inside each sample (so each sample lasts at least the protocol's
/// minimum sample time).</param>
/// <param name="MedianCiRelative">Half-width of the distribution-free 95 % confidence interval of the median,
/// relative to the median (0.02 = ±2 %).</param>
/// <param name="GcCollections">Garbage collections (all generations) that happened while timing.</param>
public sealed record LatencyStatistics(
    double MedianMs,
    double Q1Ms,
    double Q3Ms,
    double MinMs,
    double MeanMs,
    int Samples,
    int Outliers,
    int CallsPerSample,
    double MedianCiRelative,
    int GcCollections)
{
    /// <summary>Inter-quartile range Q3 − Q1 (ms).</summary>
    public double IqrMs => Q3Ms - Q1Ms;

    /// <summary>IQR relative to the median: the spread figure reports show.</summary>
    public double RelativeIqr => MedianMs > 0 ? IqrMs / MedianMs : 0;

    /// <summary>Summarises raw per-call sample times (ms) with the Tukey outlier rule.</summary>
    /// <exception cref="ArgumentException">No samples, or a sample is negative or not finite.</exception>
    public static LatencyStatistics FromSamples(IReadOnlyList<double> samplesMs, int callsPerSample = 1,
        int gcCollections = 0)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        if (samplesMs.Count == 0)
        {
            throw new ArgumentException("At least one latency sample is needed.", nameof(samplesMs));
        }
        var sorted = new double[samplesMs.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            double s = samplesMs[i];
            if (!double.IsFinite(s) || s < 0)
            {
                throw new ArgumentException($"Latency sample {i} is {s}; expected a finite value ≥ 0.",
                    nameof(samplesMs));
            }
            sorted[i] = s;
        }
        Array.Sort(sorted);
        double q1 = Quantile(sorted, 0.25), q3 = Quantile(sorted, 0.75), iqr = q3 - q1;
        double low = q1 - (1.5 * iqr), high = q3 + (1.5 * iqr);
        var kept = sorted.Where(s => s >= low && s <= high).ToArray();
        double median = Quantile(kept, 0.5);
        return new LatencyStatistics(median, Quantile(kept, 0.25), Quantile(kept, 0.75), kept[0], kept.Average(),
            sorted.Length, sorted.Length - kept.Length, callsPerSample, MedianCiHalfWidth(kept) / Math.Max(median, 1e-12),
            gcCollections);
    }

    /// <summary>Linear-interpolated quantile of sorted data (type 7, NumPy's default).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Half-width of the order-statistic 95 % CI of the median: ranks n/2 ± 1.96·√n/2 (binomial normal
    /// approximation), which needs no assumption about the timing distribution.</summary>
    internal static double MedianCiHalfWidth(double[] sorted)
    {
        int n = sorted.Length;
        if (n < 6)
        {
            return sorted[n - 1] - sorted[0];
        }
        double delta = 1.96 * Math.Sqrt(n) / 2;
        int lower = Math.Max(0, (int)Math.Floor((n / 2.0) - delta));
        int upper = Math.Min(n - 1, (int)Math.Ceiling((n / 2.0) + delta));
        return (sorted[upper] - sorted[lower]) / 2;
    }
}

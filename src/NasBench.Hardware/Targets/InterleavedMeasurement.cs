namespace NasBench.Hardware.Targets;

/// <summary>One workload's result from <see cref="InterleavedMeter"/>.</summary>
/// <param name="Statistics">Over all sweeps (one sample per sweep; Tukey outliers dropped as in
/// <see cref="LatencyMeter"/>).</param>
/// <param name="EvenSweepsMedianMs">Median over the even-numbered sweeps only.</param>
/// <param name="OddSweepsMedianMs">Median over the odd-numbered sweeps only. How well the two halves agree, over
/// many workloads, is how well a measurement reproduces itself: the ceiling for any estimator.</param>
public sealed record InterleavedMeasurement(
    LatencyStatistics Statistics,
    double EvenSweepsMedianMs,
    double OddSweepsMedianMs);

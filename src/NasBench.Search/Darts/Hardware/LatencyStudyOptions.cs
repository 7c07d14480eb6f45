using NasBench.Hardware.Estimation;

namespace NasBench.Search.Darts.Hardware;

/// <summary>What a <see cref="DartsLatencyStudy"/> does besides measuring every network once.</summary>
/// <param name="Remeasure">Measure the first this-many networks twice more per target: once right after the first
/// measurement (back to back) and once after all other networks (minutes later). How well a measurement predicts
/// its own repetition is the ceiling for any estimator on this machine.</param>
/// <param name="CalibrationNetworks">Networks of the train half the lookup calibration (intercept and scale) is
/// fitted on (spread evenly over it): a few, as a user would measure to calibrate a table.</param>
/// <param name="Predictor">Training settings of the learned predictors.</param>
/// <param name="Rounds">Times every network is measured, in passes over all networks; its latency is the median.
/// </param>
/// <param name="InterleavedSweeps">When positive, the networks were measured interleaved with the table entries
/// (<c>DartsLatencyStudy.MeasureInterleaved</c>) in this many sweeps, and those measurements are scored
/// instead of the rounds.</param>
public sealed record LatencyStudyOptions(int Remeasure = 0, int CalibrationNetworks = 20,
    LatencyPredictorOptions? Predictor = null, int Rounds = 1, int InterleavedSweeps = 0);

using NasBench.Hardware.Estimation;
using NasBench.Hardware.Targets;

namespace NasBench.Search.Darts.Hardware;

/// <summary>What a latency study found on one target.</summary>
/// <param name="Target">The target measured.</param>
/// <param name="MeasuredMs">End-to-end median latency per sampled network.</param>
/// <param name="LookupMs">Lookup-table sum per network.</param>
/// <param name="Lookup">Lookup-sum quality over all networks.</param>
/// <param name="LookupOnTest">Lookup-sum quality over the test half only (comparable with the predictors).</param>
/// <param name="Calibration">Intercept and scale fitted on the first calibration networks of the train half.</param>
/// <param name="CalibratedOnTest">The calibrated lookup sum on the test half.</param>
/// <param name="FullCalibration">Intercept and scale fitted on every network of the train half.</param>
/// <param name="FullCalibratedOnTest">That calibration on the test half.</param>
/// <param name="PredictorEncoding">MLP on the encoding alone, trained on the train half, scored on the test half.
/// </param>
/// <param name="PredictorResidual">MLP on the encoding and the per-operation lookup sums with the lookup sum as
/// baseline (learns the correction), trained on the train half, scored on the test half.</param>
/// <param name="Predictor">The trained residual predictor (saved beside the study).</param>
/// <param name="RepeatBackToBack">The first networks measured a second time right after the first: the second
/// measurement as "prediction" of the first; null when not asked for.</param>
/// <param name="RepeatLater">The same networks measured a third time after all others (minutes later).</param>
/// <param name="MedianRelativeIqr">Median over networks of IQR/median: how noisy the measurements were.</param>
/// <param name="SplitHalf">Interleaved studies: each network's median over the odd sweeps as a "prediction" of its
/// median over the even sweeps (split-half reproducibility); null otherwise.</param>
public sealed record LatencyStudyTargetResult(
    TargetFingerprint Target,
    IReadOnlyList<double> MeasuredMs,
    IReadOnlyList<double> LookupMs,
    PredictionQuality Lookup,
    PredictionQuality LookupOnTest,
    LookupCalibration Calibration,
    PredictionQuality CalibratedOnTest,
    LookupCalibration FullCalibration,
    PredictionQuality FullCalibratedOnTest,
    PredictionQuality PredictorEncoding,
    PredictionQuality PredictorResidual,
    LatencyPredictor Predictor,
    PredictionQuality? RepeatBackToBack,
    PredictionQuality? RepeatLater,
    double MedianRelativeIqr,
    PredictionQuality? SplitHalf = null);

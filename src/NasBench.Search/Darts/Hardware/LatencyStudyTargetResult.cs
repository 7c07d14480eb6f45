using NasBench.Hardware.Estimation;
using NasBench.Hardware.Targets;

namespace NasBench.Search.Darts.Hardware;

/// <summary>What a latency study found on one target.</summary>
/// <param name="Target">The target measured.</param>
/// <param name="MeasuredMs">End-to-end median latency per sampled network.</param>
/// <param name="LookupMs">Lookup-table sum per network.</param>
/// <param name="Lookup">Lookup-sum quality over all networks.</param>
/// <param name="LookupOnTest">Lookup-sum quality over the test half only (comparable with the predictors).</param>
/// <param name="PredictorEncoding">MLP on the encoding alone, trained on the train half, scored on the test half.
/// </param>
/// <param name="PredictorResidual">MLP on the encoding with the lookup sum as baseline (learns the correction).
/// </param>
/// <param name="MedianRelativeIqr">Median over networks of IQR/median: how noisy the measurements were.</param>
public sealed record LatencyStudyTargetResult(
    TargetFingerprint Target,
    IReadOnlyList<double> MeasuredMs,
    IReadOnlyList<double> LookupMs,
    PredictionQuality Lookup,
    PredictionQuality LookupOnTest,
    PredictionQuality PredictorEncoding,
    PredictionQuality PredictorResidual,
    double MedianRelativeIqr);

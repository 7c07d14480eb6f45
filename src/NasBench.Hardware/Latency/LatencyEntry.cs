namespace NasBench.Hardware.Latency;

/// <summary>One row of a latency table: an operation configuration and its measured latency.</summary>
/// <param name="MedianMs">Median latency of one call (ms): the value estimators use.</param>
/// <param name="IqrMs">Inter-quartile range of the samples (ms); 0 when the source did not report a spread.</param>
/// <param name="Samples">Timed samples behind the median; 0 when unknown (imported tables).</param>
public sealed record LatencyEntry(OperationConfig Operation, double MedianMs, double IqrMs = 0, int Samples = 0)
{
    public string Key => Operation.Key;
}

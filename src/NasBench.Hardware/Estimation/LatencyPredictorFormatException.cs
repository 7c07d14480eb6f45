namespace NasBench.Hardware.Estimation;

/// <summary>A saved latency predictor that cannot be used: malformed JSON, another schema or version, a missing or
/// ill-shaped field. The message names the file and the field.</summary>
public sealed class LatencyPredictorFormatException : Exception
{
    public LatencyPredictorFormatException(string message)
        : base(message)
    {
    }

    public LatencyPredictorFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LatencyPredictorFormatException()
    {
    }
}

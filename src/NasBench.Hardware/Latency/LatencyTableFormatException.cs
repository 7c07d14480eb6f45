namespace NasBench.Hardware.Latency;

/// <summary>A latency table that cannot be used: malformed, another schema version, missing an entry, or measured on
/// another target. The message names the file and the entry.</summary>
public sealed class LatencyTableFormatException : Exception
{
    public LatencyTableFormatException(string message)
        : base(message)
    {
    }

    public LatencyTableFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LatencyTableFormatException()
    {
    }
}

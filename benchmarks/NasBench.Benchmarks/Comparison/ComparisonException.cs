namespace NasBench.Benchmarks.Comparison;

/// <summary>Bad input to the comparer (missing file, malformed report, bad option): one line for the user, exit 1.
/// </summary>
public sealed class ComparisonException : Exception
{
    public ComparisonException(string message)
        : base(message)
    {
    }

    public ComparisonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ComparisonException()
    {
    }
}

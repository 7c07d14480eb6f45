namespace NasBench.Cli;

/// <summary>A failure the user can act on (missing file, no repository): printed as one line, exit code 1, no stack
/// trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }
}

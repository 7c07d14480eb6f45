namespace NasBench.Search.Experiments;

/// <summary>A run directory, its configuration or a checkpoint cannot be used as asked: the message names the file
/// (and the entry, with the expected and the actual value) so the user can act on it.</summary>
public sealed class RunDirectoryException : Exception
{
    public RunDirectoryException(string message)
        : base(message)
    {
    }

    public RunDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunDirectoryException()
    {
    }
}

namespace NasBench.Cli.Console;

/// <summary>Whether a writer is the process's own stdout/stderr attached to a terminal.</summary>
internal static class TerminalCheck
{
    /// <remarks>Test writers (<see cref="StringWriter"/>) and redirected streams are never terminals.</remarks>
    public static bool IsTerminal(TextWriter writer)
    {
        if (ReferenceEquals(writer, System.Console.Out))
        {
            return !System.Console.IsOutputRedirected;
        }
        if (ReferenceEquals(writer, System.Console.Error))
        {
            return !System.Console.IsErrorRedirected;
        }
        return false;
    }
}

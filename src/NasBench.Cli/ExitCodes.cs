namespace NasBench.Cli;

/// <summary>The process exit codes every verb uses (documented in <c>--help</c> and README).</summary>
internal static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Usage error (System.CommandLine's parse errors use 1 too) or a runtime failure.</summary>
    public const int Failure = 1;

    /// <summary>Cancelled with Ctrl-C: 128 + SIGINT, the shell convention.</summary>
    public const int Cancelled = 130;
}

namespace NasBench.Cli.Console;

/// <summary>Decides whether live displays (progress bars, spinners) may be drawn.</summary>
/// <remarks>Spectre.Console 0.49.1 decides interactivity from <c>Console.IsInputRedirected</c> only, so
/// <c>nasbench search &gt; log.txt</c> would write cursor movements into the file; we decide it ourselves from where
/// the output goes, <c>--no-progress</c> and the <c>CI</c> variable that CI services set.</remarks>
internal static class ConsoleInteractivity
{
    /// <param name="outputIsTerminal">Both stdout and stderr are terminals (not redirected, not a test writer).</param>
    /// <param name="noProgress">The user passed <c>--no-progress</c>.</param>
    /// <param name="ciVariable">The value of the <c>CI</c> environment variable, or null when unset.</param>
    public static bool Decide(bool outputIsTerminal, bool noProgress, string? ciVariable) =>
        outputIsTerminal && !noProgress && !IsCi(ciVariable);

    /// <summary>CI services set <c>CI=true</c> (GitHub, GitLab) or <c>CI=1</c>; an explicit false/0 means "not CI".
    /// </summary>
    public static bool IsCi(string? ciVariable) =>
        !string.IsNullOrWhiteSpace(ciVariable)
        && !ciVariable.Trim().Equals("false", StringComparison.OrdinalIgnoreCase)
        && ciVariable.Trim() != "0";
}

using System.CommandLine;

namespace NasBench.Cli.Tests;

/// <summary>Invokes a fresh root command with captured stdout/stderr, the way a user's shell would run it.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        int exitCode = NasBenchCommand.Create().Parse(args).Invoke(configuration);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);

using System.ComponentModel;
using System.Diagnostics;

namespace NasBench.Cli.Benchmarks;

/// <summary>Runs the benchmarks project through the .NET SDK with arguments passed through untouched.</summary>
internal static class BenchmarkLauncher
{
    /// <summary>The <c>dotnet</c> to use: the host running us when we run as <c>dotnet nasbench.dll</c>, else the one
    /// the SDK advertises, else the one on PATH.</summary>
    public static string DotnetPath()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary><c>dotnet run -c Release --project &lt;root&gt;/benchmarks/NasBench.Benchmarks -- args...</c>, run from
    /// the repository root so BenchmarkDotNet.Artifacts lands there.</summary>
    public static ProcessStartInfo StartInfo(string repositoryRoot, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("Release");
        info.ArgumentList.Add("--project");
        info.ArgumentList.Add(Path.Combine(repositoryRoot, "benchmarks", "NasBench.Benchmarks"));
        info.ArgumentList.Add("--");
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    /// <summary>Starts the process with inherited stdio and returns its exit code.</summary>
    /// <remarks>On Ctrl-C the child, in the same process group, gets SIGINT too and stops BenchmarkDotNet cleanly; if it
    /// is still running after a grace period we kill its tree rather than leave orphaned benchmark processes.</remarks>
    /// <exception cref="OperationCanceledException">Cancelled through <paramref name="cancellationToken"/>.</exception>
    public static async Task<int> RunAsync(ProcessStartInfo info, TextWriter log, CancellationToken cancellationToken)
    {
        string command = string.Join(' ', info.ArgumentList.Select(Quote).Prepend(Quote(info.FileName)));
        await log.WriteLineAsync($"nasbench: {command}").ConfigureAwait(false);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CliException($"could not start {info.FileName}");
        }
        catch (Win32Exception e)
        {
            throw new CliException($"could not start '{info.FileName}' ({e.Message}); is the .NET SDK on PATH?", e);
        }
        using (process)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
                throw;
            }
            return process.ExitCode;
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.CommandLine;

namespace NasBench.Cli.Commands;

/// <summary>Gives every verb the same error and cancellation handling, so exit codes stay 0 / 1 / 130.</summary>
internal static class CommandActions
{
    public static void Set(
        Command command,
        GlobalOptions globals,
        Func<CliSession, ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var session = globals.Bind(parseResult);
            try
            {
                return await body(session, parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await session.Error.WriteLineAsync("nasbench: cancelled.").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
            catch (CliException e)
            {
                await session.Error.WriteLineAsync($"nasbench: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
    }
}

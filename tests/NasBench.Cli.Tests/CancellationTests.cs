using System.CommandLine;
using NasBench.Cli.Commands;

namespace NasBench.Cli.Tests;

public class CancellationTests
{
    [Fact]
    public async Task A_verb_cancelled_through_its_token_exits_130()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand();
        globals.AddTo(root);
        var slow = new Command("slow");
        CommandActions.Set(slow, globals, async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        });
        root.Subcommands.Add(slow);
        var error = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        int exitCode = await root.Parse(["slow"]).InvokeAsync(
            new InvocationConfiguration { Output = new StringWriter(), Error = error }, cancel.Token);

        Assert.Equal(130, exitCode);
        Assert.Contains("cancelled", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_error_exits_1_with_one_line_and_no_stack_trace()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand();
        globals.AddTo(root);
        var failing = new Command("fail");
        CommandActions.Set(failing, globals, (_, _, _) => throw new CliException("no such dataset: x"));
        root.Subcommands.Add(failing);
        var error = new StringWriter();

        int exitCode = root.Parse(["fail"]).Invoke(
            new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(1, exitCode);
        Assert.Equal("nasbench: no such dataset: x", error.ToString().Trim());
    }
}

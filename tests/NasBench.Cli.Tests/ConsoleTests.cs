using NasBench.Cli.Commands;
using NasBench.Cli.Console;
using Spectre.Console;

namespace NasBench.Cli.Tests;

public class ConsoleTests
{
    [Theory]
    [InlineData(true, false, null, true)]
    [InlineData(false, false, null, false)]
    [InlineData(true, true, null, false)]
    [InlineData(true, false, "true", false)]
    [InlineData(true, false, "1", false)]
    [InlineData(true, false, "false", true)]
    [InlineData(true, false, "0", true)]
    [InlineData(true, false, "", true)]
    public void Interactivity_needs_a_terminal_no_no_progress_and_no_CI(
        bool terminal, bool noProgress, string? ci, bool expected) =>
        Assert.Equal(expected, ConsoleInteractivity.Decide(terminal, noProgress, ci));

    [Fact]
    public void Test_writers_are_never_terminals() => Assert.False(TerminalCheck.IsTerminal(new StringWriter()));

    [Fact]
    public void Escaped_user_strings_render_literally()
    {
        const string genotype = "Genotype(normal=[('sep_conv_3x3', 0)], reduce=[[bold]])";
        var writer = new StringWriter();
        var console = CliConsoleFactory.Create(writer, interactive: false);
        console.MarkupLine($"[bold]{ConsoleText.Escape(genotype)}[/]");
        Assert.Equal(genotype, writer.ToString().TrimEnd());
        Assert.Throws<InvalidOperationException>(() => console.MarkupLine(genotype));
    }

    [Fact]
    public void Plain_progress_prints_one_line_per_step_with_elapsed_and_eta()
    {
        var log = new StringWriter();
        var clock = new ManualTimeProvider();
        var progress = new PlainStepProgress(log, "EG-DARTS search", "epoch", 4, clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Advance("loss [0.5]");
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Advance();
        clock.Advance(TimeSpan.FromSeconds(100));
        progress.Advance();
        progress.Advance();

        string[] lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "EG-DARTS search: epoch 1/4  25%  elapsed 00:10  ETA 00:30  loss [0.5]",
            "EG-DARTS search: epoch 2/4  50%  elapsed 00:20  ETA 00:20",
            "EG-DARTS search: epoch 3/4  75%  elapsed 02:00  ETA 00:40",
            "EG-DARTS search: epoch 4/4 100%  elapsed 02:00  done",
        ], lines);
    }

    [Fact]
    public async Task Progress_display_falls_back_to_plain_lines_on_stderr_when_not_interactive()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var session = new CliSession(
            output,
            error,
            CliConsoleFactory.Create(output, false),
            CliConsoleFactory.Create(error, false),
            Interactive: false,
            Json: false,
            Seed: 1,
            Threads: 1);

        await ProgressDisplay.RunAsync(session, "train", "step", 3, progress =>
        {
            for (int i = 0; i < 3; i++)
            {
                progress.Advance();
            }
            return Task.CompletedTask;
        });

        Assert.Equal(string.Empty, output.ToString());
        Assert.Equal(3, error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("train: step 3/3 100%", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

using NasBench.Cli.Commands;
using NasBench.Cli.Console;
using NasBench.Search.Training;

namespace NasBench.Cli.Tests;

public class TrainingProgressTests
{
    private static CliSession Session(StringWriter output, StringWriter error, bool interactive) => new(
        output, error, CliConsoleFactory.Create(output, interactive), CliConsoleFactory.Create(error, interactive),
        interactive, Json: false, Seed: 1, Threads: 1);

    private static int Drive(ITrainingProgress progress, int firstEpoch, int epochs, int steps, bool pause = false)
    {
        for (int e = firstEpoch; e <= epochs; e++)
        {
            for (int s = 1; s <= steps; s++)
            {
                progress.Step(new TrainingStep(e, epochs, s, steps, 1.0 / s, 0.5));
            }
            progress.Epoch(new EpochResult(e, 0.025, 0, 0.5, 0.8, 0.6, 0.75, 12, 1));
            if (pause)
            {
                // Spectre redraws every 100 ms: give the live display time to render each epoch's state.
                Thread.Sleep(250);
            }
        }
        return 7;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // resumed: the run bar starts at epoch 2
    public void Live_display_runs_two_bars_to_completion(int firstEpoch)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int result = TrainingProgressDisplay.Run(Session(output, error, interactive: true), "DARTS_V2 [C=4]", 3, 5,
            firstEpoch - 1, p => Drive(p, firstEpoch, 3, 5, pause: true));
        Assert.Equal(7, result);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("DARTS_V2 [C=4]", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("test acc 75.00 %", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_progress_prints_step_lines_and_epoch_summaries_with_eta()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        TrainingProgressDisplay.Run(Session(output, error, interactive: false), "net", 2, 20, 0, p => Drive(p, 1, 2, 20));
        string[] lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        // Every 2nd step but the last of each epoch (9 lines), plus one summary per epoch.
        Assert.Equal(2 * (9 + 1), lines.Length);
        Assert.StartsWith("net: epoch 1/2 step 2/20  loss 0.5000  acc 50.0 %  elapsed ", lines[0], StringComparison.Ordinal);
        Assert.Contains("ETA", lines[0], StringComparison.Ordinal);
        Assert.Contains("net: epoch 2/2 done  train loss 0.5000 acc 80.00 %  test loss 0.6000 acc 75.00 %",
            lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("done", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Search_progress_names_its_evaluation_split_val_not_test()
    {
        var error = new StringWriter();
        TrainingProgressDisplay.Run(Session(new StringWriter(), error, interactive: false), "search", 1, 10, 0,
            p => Drive(p, 1, 1, 10), evaluatedOn: "val");
        string last = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains("val loss", last, StringComparison.Ordinal);
        Assert.DoesNotContain("test", last, StringComparison.Ordinal);
    }
}

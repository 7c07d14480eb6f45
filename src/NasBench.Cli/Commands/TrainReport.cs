using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NasBench.Cli.Console;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Experiments;
using NasBench.Search.Training;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary>The outcome of <c>nasbench train</c> as JSON (<c>result.json</c>, <c>--json</c>), Markdown
/// (<c>report.md</c>) and a console table.</summary>
internal sealed record TrainReport(
    RunDirectory Run, string GenotypeLabel, Genotype Genotype, string Dataset, NetworkConfig Config,
    TrainerOptions Options, long Parameters, long AuxiliaryParameters, long Macs, TrainingResult Result)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a diverged run's NaN
    };

    private double TrainSeconds => Result.Epochs.Sum(e => e.Seconds);

    private double MeanEpochSeconds => TrainSeconds / Result.Epochs.Count;

    public JsonObject ToJson()
    {
        var final = Result.Final;
        var epochs = new JsonArray();
        foreach (var e in Result.Epochs)
        {
            epochs.Add(new JsonObject
            {
                ["epoch"] = e.Epoch,
                ["learningRate"] = e.LearningRate,
                ["dropPath"] = e.DropPath,
                ["trainLoss"] = e.TrainLoss,
                ["trainAccuracy"] = e.TrainAccuracy,
                ["testLoss"] = e.TestLoss,
                ["testAccuracy"] = e.TestAccuracy,
                ["seconds"] = e.Seconds,
                ["testSeconds"] = e.TestSeconds,
            });
        }
        return new JsonObject
        {
            ["run"] = Run.Path,
            ["genotype"] = GenotypeLabel,
            ["genotypeText"] = Genotype.ToString(),
            ["dataset"] = Dataset,
            ["initChannels"] = Config.InitChannels,
            ["layers"] = Config.Layers,
            ["auxiliary"] = Config.Auxiliary,
            ["epochs"] = Options.Epochs,
            ["seed"] = Options.Seed,
            ["testAccuracy"] = final.TestAccuracy,
            ["testLoss"] = final.TestLoss,
            ["bestTestAccuracy"] = Result.Epochs.Max(e => e.TestAccuracy),
            ["parameters"] = Parameters,
            ["auxiliaryParameters"] = AuxiliaryParameters,
            ["macs"] = Macs,
            ["trainSeconds"] = TrainSeconds,
            ["meanEpochSeconds"] = MeanEpochSeconds,
            ["wallSecondsThisInvocation"] = Result.WallSeconds,
            ["resumed"] = Result.ResumedAtEpoch is not null,
            ["history"] = epochs,
        };
    }

    public string ToMarkdown()
    {
        var final = Result.Final;
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"# Training report: {GenotypeLabel}");
        sb.AppendLine();
        sb.AppendLine(c, $"- Run: `{Run.Path}`");
        sb.AppendLine(c, $"- Genotype: `{Genotype.ToString()}`");
        sb.AppendLine(c, $"- Dataset: {Dataset}");
        sb.AppendLine(c, $"- Network: C = {Config.InitChannels}, {Config.Layers} cells, auxiliary head " +
                         $"{(Config.Auxiliary ? "on" : "off")}");
        sb.AppendLine(c, $"- Recipe: {Options.Epochs} epochs, batch {Options.BatchSize}, SGD lr {Options.LearningRate} " +
                         $"cosine to {Options.MinLearningRate}, momentum {Options.Momentum}, weight decay " +
                         $"{Options.WeightDecay}, clip {Options.GradientClip}, drop-path {Options.DropPath}, cutout " +
                         $"{Options.CutoutLength}, seed {Options.Seed}");
        sb.AppendLine();
        sb.AppendLine("| Result | Value |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(c, $"| Test accuracy (final epoch) | {final.TestAccuracy * 100:F2} % |");
        sb.AppendLine(c, $"| Best test accuracy (any epoch) | {Result.Epochs.Max(e => e.TestAccuracy) * 100:F2} % |");
        sb.AppendLine(c, $"| Parameters (auxiliary head excluded) | {Parameters:N0} |");
        sb.AppendLine(c, $"| MACs per image (inference) | {Macs:N0} |");
        sb.AppendLine(c, $"| Training time | {TrainSeconds:F0} s ({MeanEpochSeconds:F1} s per epoch) |");
        sb.AppendLine();
        sb.AppendLine("| Epoch | lr | Train loss | Train acc | Test loss | Test acc | Seconds |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var e in Result.Epochs)
        {
            sb.AppendLine(c, $"| {e.Epoch} | {e.LearningRate:G4} | {e.TrainLoss:F4} | {e.TrainAccuracy * 100:F2} % | " +
                             $"{e.TestLoss:F4} | {e.TestAccuracy * 100:F2} % | {e.Seconds:F1} |");
        }
        sb.AppendLine();
        sb.AppendLine("Best test accuracy is reported for information only: the final epoch's figure is the result.");
        return sb.ToString();
    }

    public Table ToTable()
    {
        var final = Result.Final;
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title(ConsoleText.Escape($"Trained {GenotypeLabel}")).AddColumn("Result")
            .AddColumn("Value");
        void Row(string name, string value) => table.AddRow(ConsoleText.Plain(name), ConsoleText.Plain(value));
        Row("Test accuracy", string.Create(c, $"{final.TestAccuracy * 100:F2} %"));
        Row("Test loss", string.Create(c, $"{final.TestLoss:F4}"));
        Row("Parameters", string.Create(c, $"{Parameters:N0}"));
        Row("MACs per image", string.Create(c, $"{Macs:N0}"));
        Row("Epochs", string.Create(c, $"{Result.Epochs.Count}"));
        Row("Training time", string.Create(c, $"{TrainSeconds:F0} s ({MeanEpochSeconds:F1} s per epoch)"));
        Row("Run directory", Run.Path);
        return table;
    }
}

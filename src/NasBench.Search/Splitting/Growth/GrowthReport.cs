using System.Globalization;
using System.Text;

namespace NasBench.Search.Splitting.Growth;

/// <summary>Writes a run's <c>report.md</c> and <c>growth.svg</c>: the per-round table and the accuracy–MACs curve,
/// with any comparison runs (baselines) drawn on the same axes.</summary>
public static class GrowthReport
{
    /// <param name="costName">Name of the run's selection cost model (<c>flops</c>, <c>energy:cpu</c>,
    /// <c>latency:cpu-1t</c>).</param>
    /// <param name="fromScratch">Final architectures trained from a fresh initialisation (this run's and the
    /// baselines' <see cref="RetrainResult"/>s, a uniform run's last round), tabulated side by side; may be empty.
    /// </param>
    public static void Write(string directory, GrowthOptions options, string dataset,
        IReadOnlyList<GrowthRound> history, IReadOnlyList<(string Label, IReadOnlyList<GrowthRound> Rounds)> others,
        string? costName = null, IReadOnlyList<(string Label, RetrainResult Result)>? fromScratch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(others);
        string label = $"{options.Network} {options.Mode.ToString().ToLowerInvariant()}"
            + (options.CostModel == SplitCostModels.Macs ? "" : $" ({options.CostModel})");
        var runs = new List<(string, IReadOnlyList<GrowthRound>)> { (label, history) };
        runs.AddRange(others);
        File.WriteAllText(Path.Combine(directory, "growth.svg"), GrowthCurveSvg.Render(runs));
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# Neuron-splitting growth: {label}\n\n");
        sb.Append(inv, $"- Dataset: {dataset}\n");
        string batches = options.SplitBatches == 0
            ? "a full training pass in batches"
            : $"{options.SplitBatches} batches";
        sb.Append(inv, $"- Settings: budget {options.BudgetMacs:N0} MACs, {options.Rounds} rounds, {options.Epochs} epochs per round, seed multiplier {options.SeedMultiplier}, ε = {options.Epsilon}, a = {options.NegativeMass}, {batches} of {options.BatchSize} for splitting, seed {options.Seed}\n");
        string unit = history.Select(r => r.CostUnit).LastOrDefault(u => u is not null) ?? "MACs";
        string target = options.Target is null ? "" : $", target {options.Target}";
        string coefficients = SplitCostModels.Coefficients(options).ToString();
        string cap = options.CostModel != SplitCostModels.Macs && options.MacCap
            ? ", and at most the MAC schedule's MACs per round"
            : "";
        sb.Append(inv, $"- Selection cost model: {costName ?? options.CostModel}{target} (unit {unit}); ");
        sb.Append(inv, $"round budget = cost · min(g, (budget − MACs)/MACs){cap}. Energy column: {coefficients}.\n");
        sb.Append("- Activation: Swish everywhere (exact σ'' in S); BN folded in eval mode.\n\n");
        sb.Append("![accuracy against MACs](growth.svg)\n\n");
        foreach (var (name, rounds) in runs)
        {
            string u = rounds.Select(r => r.CostUnit).LastOrDefault(x => x is not null) ?? "-";
            sb.Append(inv, $"## {name}\n\n| round | MACs | params | energy µJ | cost ({u}) | round budget | cost added | neurons added | predicted gain (ε²/2) | split s | train s | train loss | test acc |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var r in rounds)
            {
                sb.Append(inv, $"| {r.Round} | {r.Macs:N0} | {r.Parameters:N0} | {r.EnergyMicrojoules:G4} | {r.Cost:G4} | {r.RoundBudget:G4} | {r.AddedCost:G4} | {r.Neurons} | {r.PredictedGain:G3} | {r.SplitSeconds:F1} | {r.TrainSeconds:F1} | {r.TrainLoss:F3} | {r.TestAccuracy * 100:F2}% |\n");
            }
            if (rounds.Count > 0)
            {
                sb.Append(inv, $"\nFinal widths: {string.Join(", ", rounds[^1].Widths)}\n\n");
            }
        }
        if (fromScratch is { Count: > 0 })
        {
            sb.Append("## Final architectures trained from scratch\n\n");
            sb.Append("The grown widths re-initialised and trained under one cosine schedule, beside the uniform ");
            sb.Append("baseline's last round (also trained from scratch): the architectures compared at equal ");
            sb.Append("training rather than the growth runs' restarted per-round schedules.\n\n");
            sb.Append("| run | epochs | MACs | params | train loss | train s | test acc |\n|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (var (name, r) in fromScratch)
            {
                sb.Append(inv, $"| {name} | {r.Epochs} | {r.Macs:N0} | {r.Parameters:N0} | {r.TrainLoss:F3} | {r.TrainSeconds:F1} | {r.TestAccuracy * 100:F2}% |\n");
            }
            sb.Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, "report.md"), sb.ToString());
    }
}

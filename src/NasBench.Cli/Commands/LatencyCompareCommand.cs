using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Latency;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency compare a.json b.json</c>: two targets op by op.</summary>
internal static class LatencyCompareCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var first = new Argument<string>("a") { Description = "Latency table A (.json or .csv)." };
        var second = new Argument<string>("b") { Description = "Latency table B (.json or .csv)." };
        var top = new Option<int>("--top")
        {
            Description = "How many of the most differently scaling operations to list.",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command(
            "compare",
            "Compare two latency tables (two targets) on the operations both hold: ratio B/A per operation, geometric " +
            "mean of the ratios, per-operation-type means, and the configurations whose ratio departs most from the " +
            "mean (the operations that rank differently on the two targets).")
        {
            first,
            second,
            top,
        };
        CommandActions.Set(command, globals, async (session, parseResult, _) =>
        {
            var a = LatencyCli.ReadTable(parseResult.GetRequiredValue(first));
            var b = LatencyCli.ReadTable(parseResult.GetRequiredValue(second));
            LatencyComparison comparison;
            try
            {
                comparison = LatencyComparison.Compare(a, b);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, e);
            }
            var most = comparison.MostDifferent(Math.Max(parseResult.GetValue(top), 0));
            if (session.Json)
            {
                var json = new JsonObject
                {
                    ["a"] = LatencyCli.Fingerprint(a.Fingerprint),
                    ["b"] = LatencyCli.Fingerprint(b.Fingerprint),
                    ["shared"] = comparison.Rows.Count,
                    ["onlyInA"] = comparison.OnlyInA.Count,
                    ["onlyInB"] = comparison.OnlyInB.Count,
                    ["geometricMeanRatio"] = comparison.GeometricMeanRatio,
                    ["totalMsA"] = comparison.Rows.Sum(r => r.MedianMsA),
                    ["totalMsB"] = comparison.Rows.Sum(r => r.MedianMsB),
                    ["byOperation"] = new JsonArray([.. comparison.ByOperation().Select(o => (JsonNode)new JsonObject
                    {
                        ["op"] = o.Operation, ["count"] = o.Count, ["geometricMeanRatio"] = o.GeometricMeanRatio,
                    })]),
                    ["mostDifferent"] = new JsonArray([.. most.Select(r => (JsonNode)new JsonObject
                    {
                        ["key"] = r.Operation.Key, ["msA"] = r.MedianMsA, ["msB"] = r.MedianMsB, ["ratio"] = r.Ratio,
                    })]),
                };
                await session.Out.WriteLineAsync(json.ToJsonString(LatencyCli.Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            var c = CultureInfo.InvariantCulture;
            var head = new Table().Title("Targets").AddColumn("").AddColumn("Target");
            head.AddRow(ConsoleText.Plain("A"), ConsoleText.Plain(a.Fingerprint.Describe()));
            head.AddRow(ConsoleText.Plain("B"), ConsoleText.Plain(b.Fingerprint.Describe()));
            head.AddRow(ConsoleText.Plain("shared"), ConsoleText.Plain(
                $"{comparison.Rows.Count} entries (only A {comparison.OnlyInA.Count}, only B {comparison.OnlyInB.Count})"));
            head.AddRow(ConsoleText.Plain("B/A"), ConsoleText.Plain(
                $"geometric mean {comparison.GeometricMeanRatio.ToString("F3", c)}, sum of entries "
                + $"{(comparison.Rows.Sum(r => r.MedianMsB) / comparison.Rows.Sum(r => r.MedianMsA)).ToString("F3", c)}"));
            session.Results.Write(head);
            var byOp = new Table().Title("B/A by operation").AddColumn("Operation").AddColumn("Configs")
                .AddColumn("Geomean B/A");
            foreach (var (op, count, ratio) in comparison.ByOperation())
            {
                byOp.AddRow(ConsoleText.Plain(op), ConsoleText.Plain(count.ToString(c)),
                    ConsoleText.Plain(ratio.ToString("F3", c)));
            }
            session.Results.Write(byOp);
            var differ = new Table().Title("Most different from the mean").AddColumn("Configuration")
                .AddColumn("A ms").AddColumn("B ms").AddColumn("B/A");
            foreach (var r in most)
            {
                differ.AddRow(ConsoleText.Plain(r.Operation.Key), ConsoleText.Plain(LatencyCli.Ms(r.MedianMsA)),
                    ConsoleText.Plain(LatencyCli.Ms(r.MedianMsB)), ConsoleText.Plain(r.Ratio.ToString("F3", c)));
            }
            session.Results.Write(differ);
            return ExitCodes.Success;
        });
        return command;
    }
}

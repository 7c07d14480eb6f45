using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency list</c>: the built-in targets and the cached tables.</summary>
internal static class LatencyListCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cacheOption = new Option<string?>("--cache")
        {
            Description = "Cache directory (default $NASBENCH_CACHE/latency, else ~/.cache/nasbench/latency).",
        };
        var command = new Command("list", "List the hardware targets (with fingerprint and availability) and the " +
            "latency tables in the cache.")
        {
            cacheOption,
        };
        CommandActions.Set(command, globals, async (session, parseResult, _) =>
        {
            var cache = new LatencyTableCache(parseResult.GetValue(cacheOption));
            var targets = TargetRegistry.BuiltIn();
            var tables = cache.List();
            if (session.Json)
            {
                var json = new JsonObject
                {
                    ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)new JsonObject
                    {
                        ["name"] = t.Name,
                        ["available"] = t.IsAvailable,
                        ["availability"] = t.Availability,
                        ["fingerprint"] = LatencyCli.Fingerprint(t.Fingerprint),
                    })]),
                    ["cache"] = cache.Root,
                    ["tables"] = new JsonArray([.. tables.Select(t => (JsonNode)new JsonObject
                    {
                        ["path"] = t.Path,
                        ["target"] = t.Table?.Fingerprint.Target,
                        ["fingerprint"] = t.Table?.Fingerprint.Key,
                        ["entries"] = t.Table?.Entries.Count,
                        ["error"] = t.Error,
                    })]),
                };
                await session.Out.WriteLineAsync(json.ToJsonString(LatencyCli.Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            var targetTable = new Table().Title("Targets").AddColumn("Name").AddColumn("Available")
                .AddColumn("Fingerprint").AddColumn("Description");
            foreach (var t in targets)
            {
                targetTable.AddRow(ConsoleText.Plain(t.Name), ConsoleText.Plain(t.IsAvailable ? "yes" : t.Availability),
                    ConsoleText.Plain(t.Fingerprint.Key), ConsoleText.Plain(t.Fingerprint.Describe()));
            }
            session.Results.Write(targetTable);
            var tableTable = new Table().Title($"Cached tables ({cache.Root})").AddColumn("File").AddColumn("Target")
                .AddColumn("Entries");
            foreach (var (path, table, error) in tables)
            {
                tableTable.AddRow(ConsoleText.Plain(Path.GetRelativePath(cache.Root, path)),
                    ConsoleText.Plain(table?.Fingerprint.Describe() ?? "unreadable: " + error),
                    ConsoleText.Plain(table?.Entries.Count.ToString(CultureInfo.InvariantCulture) ?? ""));
            }
            session.Results.Write(tableTable);
            return ExitCodes.Success;
        });
        return command;
    }
}

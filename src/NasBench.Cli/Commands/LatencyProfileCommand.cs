using System.CommandLine;
using System.Text.Json.Nodes;
using NasBench.Cli.Console;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench latency profile</c>: measure every operation configuration of a space on a target.</summary>
internal static class LatencyProfileCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var target = new Option<string>("--target")
        {
            Description = "Target to measure on: cpu (all cores) or cpu-1t (one thread).",
            DefaultValueFactory = _ => CpuTarget.AllCoresName,
        };
        var space = new Option<string>("--space")
        {
            Description = "Search space whose operations are profiled (darts).",
            DefaultValueFactory = _ => "darts",
        };
        var output = new Option<string?>("--output")
        {
            Description = "Table file to write (.json, or .csv for a spreadsheet). The JSON is rewritten after every " +
                          "entry, so an interrupted run resumes with --resume. Default: only the cache.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Keep the entries already in --output (same target fingerprint) and measure the rest.",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "Cheaper protocol (10–60 samples, ±3 % median CI, 0.6 s per entry) for long sweeps.",
        };
        var interleave = new Option<int>("--interleave")
        {
            Description = "Measure all entries together in N sweeps over them in a shuffled order, one sample of " +
                          "each per sweep, instead of one after the other: on a shared machine a slow spell then " +
                          "moves every entry alike (about N × 30 ms for the DARTS space at C = 8). 0: one after the " +
                          "other, checkpointed after each entry.",
            DefaultValueFactory = _ => 0,
        };
        var clock = LatencyCli.ClockOption();
        var shape = new LatencyShapeOptions();
        var command = new Command(
            "profile",
            "Measure the latency of every operation configuration (op, C_in, C_out, H, W, stride, kernel, dilation, " +
            "batch) a DARTS network of the given shape can use, on one target, and write a latency table with the " +
            "target's fingerprint. The table is also stored in the cache keyed by the fingerprint.")
        {
            target,
            space,
            output,
            resume,
            quick,
            interleave,
            clock,
        };
        shape.AddTo(command);
        CommandActions.Set(command, globals, async (session, parseResult, cancellationToken) =>
        {
            string spaceName = parseResult.GetRequiredValue(space);
            if (spaceName != "darts")
            {
                throw new CliException($"--space '{spaceName}': only 'darts' is available.");
            }
            var theTarget = LatencyCli.ResolveTarget(parseResult.GetRequiredValue(target),
                LatencyCli.ParseClock(parseResult.GetRequiredValue(clock)));
            if (!theTarget.IsAvailable)
            {
                throw new CliException($"Target '{theTarget.Name}' cannot be measured here: {theTarget.Availability}.");
            }
            int sweeps = parseResult.GetValue(interleave);
            if (sweeps is 1 or < 0)
            {
                throw new CliException($"--interleave {sweeps}: expected 0 (off) or at least 2 sweeps.");
            }
            var interleaving = theTarget as IInterleavingTarget;
            if (sweeps > 0 && interleaving is null)
            {
                throw new CliException($"Target '{theTarget.Name}' cannot measure interleaved; leave out --interleave.");
            }
            var layout = shape.Bind(parseResult);
            string? outputPath = parseResult.GetValue(output);
            LatencyTable? partial = null;
            if (parseResult.GetValue(resume) && outputPath is not null && File.Exists(outputPath))
            {
                partial = LatencyCli.ReadTable(outputPath);
                try
                {
                    partial.EnsureFingerprint(theTarget.Fingerprint);
                }
                catch (LatencyTableFormatException e)
                {
                    throw new CliException(e.Message + " Cannot resume into it.", e);
                }
            }
            var operations = layout.SpaceOperations();
            int todo = operations.Count(o => partial is null || !partial.Contains(o));
            var protocol = parseResult.GetValue(quick) ? MeasurementProtocol.Quick : MeasurementProtocol.Default;
            bool checkpoint = outputPath is not null && !outputPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            LatencyTable table = partial ?? new LatencyTable(theTarget.Fingerprint, spaceName, []);
            if (sweeps > 0)
            {
                await ProgressDisplay.RunAsync(session, $"profile {theTarget.Name} interleaved", "sweep", sweeps,
                    progress => Task.Run(() => table = LatencyProfiler.ProfileInterleaved(interleaving!,
                        new DartsOperationModules(), operations, spaceName, InterleavedProtocol.WithSweeps(sweeps),
                        partial, done => progress.Advance($"sweep {done} of {sweeps}"), cancellationToken),
                        cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await ProgressDisplay.RunAsync(session, $"profile {theTarget.Name}", "entry", todo, progress =>
                    Task.Run(() =>
                    {
                        table = LatencyProfiler.Profile(theTarget, new DartsOperationModules(), operations, spaceName,
                            protocol, partial, (entry, soFar) =>
                            {
                                if (checkpoint)
                                {
                                    LatencyTableJson.Write(soFar, outputPath!);
                                }
                                progress.Advance($"{entry.Key} {LatencyCli.Ms(entry.MedianMs)} ms");
                            }, cancellationToken);
                    }, cancellationToken)).ConfigureAwait(false);
            }
            if (outputPath is not null)
            {
                LatencyTableIo.Write(table, outputPath);
            }
            string cached = new LatencyTableCache().Store(table, LatencyShapeOptions.TableName(layout));
            if (session.Json)
            {
                var json = new JsonObject
                {
                    ["target"] = LatencyCli.Fingerprint(table.Fingerprint),
                    ["entries"] = table.Entries.Count,
                    ["measured"] = todo,
                    ["output"] = outputPath,
                    ["cache"] = cached,
                    ["totalMs"] = table.Entries.Sum(e => e.MedianMs),
                };
                await session.Out.WriteLineAsync(json.ToJsonString(LatencyCli.Indented)).ConfigureAwait(false);
            }
            else
            {
                var summary = new Table().Title("Latency table").AddColumn("Property").AddColumn("Value");
                summary.AddRow(ConsoleText.Plain("Target"), ConsoleText.Plain(table.Fingerprint.Describe()));
                summary.AddRow(ConsoleText.Plain("Entries"), ConsoleText.Plain($"{table.Entries.Count} ({todo} measured now)"));
                summary.AddRow(ConsoleText.Plain("Output"), ConsoleText.Plain(outputPath ?? "(none)"));
                summary.AddRow(ConsoleText.Plain("Cache"), ConsoleText.Plain(cached));
                session.Results.Write(summary);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}

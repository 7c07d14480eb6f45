using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NasBench.Cli.Console;
using NasBench.Cli.Info;
using Spectre.Console;

namespace NasBench.Cli.Commands;

/// <summary><c>nasbench info</c>: the machine and the compute backends, as a table or as JSON.</summary>
internal static class InfoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command(
            "info",
            "Show the machine (CPU model, cores, SIMD width in use, AVX-512 subsets, .NET runtime, OS) and which " +
            "compute backends (CPU, CUDA) are available, and the hardware targets latency can be measured on.");
        CommandActions.Set(command, globals, (session, _, _) =>
        {
            var report = InfoReport.Collect();
            if (session.Json)
            {
                session.Out.WriteLine(JsonSerializer.Serialize(report, InfoJsonContext.Default.InfoReport));
            }
            else
            {
                Write(session.Results, report);
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static void Write(IAnsiConsole console, InfoReport report)
    {
        var machine = report.Machine;
        var simd = machine.Simd;
        var table = new Table().Title("Machine").AddColumn("Property").AddColumn("Value");
        AddRow(table, "CPU", machine.CpuModel);
        AddRow(table, "Architecture", machine.Architecture);
        AddRow(table, "Logical cores", machine.LogicalCores.ToString(CultureInfo.InvariantCulture));
        AddRow(table, "Cores used", machine.CoresUsed.ToString(CultureInfo.InvariantCulture));
        AddRow(table, "SIMD in use", simd.WidthBits == 0 ? "scalar" : $"{simd.WidthName} ({simd.WidthBits}-bit)");
        AddRow(
            table,
            "Accelerated",
            $"Vector512 {YesNo(simd.Vector512)}, Vector256 {YesNo(simd.Vector256)}, Vector128 {YesNo(simd.Vector128)}");
        AddRow(table, "Extensions", simd.Extensions.Count == 0 ? "none" : string.Join(' ', simd.Extensions));
        AddRow(table, "Runtime", machine.Runtime);
        AddRow(table, "OS", machine.Os);
        console.Write(table);

        var backends = new Table().Title("Compute backends").AddColumn("Backend").AddColumn("Available")
            .AddColumn("Status");
        foreach (var backend in report.Backends)
        {
            backends.AddRow(
                ConsoleText.Plain(backend.Name),
                ConsoleText.Plain(YesNo(backend.Available)),
                ConsoleText.Plain(backend.Status));
        }
        console.Write(backends);

        var targets = new Table().Title("Hardware targets").AddColumn("Target").AddColumn("Available")
            .AddColumn("Description");
        foreach (var target in report.Targets)
        {
            targets.AddRow(
                ConsoleText.Plain(target.Name),
                ConsoleText.Plain(YesNo(target.Available)),
                ConsoleText.Plain(target.Description));
        }
        console.Write(targets);
    }

    private static void AddRow(Table table, string name, string value) =>
        table.AddRow(ConsoleText.Plain(name), ConsoleText.Plain(value));

    private static string YesNo(bool value) => value ? "yes" : "no";
}

#:project ../../../src/NasBench.Search/NasBench.Search.csproj
#:property PublishAot=false
#:property TieredCompilationQuickJitForLoops=false
#:property ServerGarbageCollection=false
#:property ConcurrentGarbageCollection=false
// Latency of every round's network of growth runs on cpu-1t (thread-CPU clock), two ways: the lookup sum the
// latency selection model uses (per-operation medians, min of 3, cached in a shared table), and the whole network
// timed as one forward pass at batch 1 (min of 3 medians, default protocol).
// Usage: dotnet run -c Release measure-latency.cs -- TABLE.json RUN_DIR...   (prints a markdown table)
using System.Globalization;
using System.Text.Json;
using NasBench.Hardware.Targets;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

var inv = CultureInfo.InvariantCulture;
var target = CpuTarget.SingleThread(MeasurementClock.ThreadCpu);
var lookup = new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance, MeasurementProtocol.Quick,
    args[0], repeats: 3);
Console.WriteLine("| run | round | MACs | lookup-sum ms | whole network ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (string dir in args.Skip(1))
{
    using var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "history.json")));
    foreach (var round in history.RootElement.EnumerateArray())
    {
        int r = round.GetProperty("Round").GetInt32();
        string arch = Path.Combine(dir, $"round-{r:D2}", "arch.json");
        var net = new GrowableNetwork(NetworkSpec.FromJson(File.ReadAllText(arch), arch), new Generator(1));
        double sum = net.Cost(lookup);
        var (c, h, w) = net.InputShape;
        double whole = Enumerable.Range(0, 3).Min(_ => target.Measure(net, [1, c, h, w]).MedianMs);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        Console.WriteLine(string.Create(inv, $"| {name} | {r} | {net.Macs():N0} | {sum:F4} | {whole:F4} |"));
    }
}

#:project ../src/NasBench.Search/NasBench.Search.csproj

// EG-DARTS with a measured latency table as its cost, against the same search with λ = 0 (issue 4's closing check).
// Usage, from the repository root:
//   dotnet run -c Release tools/latency-aware-search.cs <table.json> [epochs] [lambdas, e.g. 0,1] [output.md] [images]
// The table must be of cpu-1t on this machine (wall or thread-cpu clock) for a C=8, 5-cell, 1x28x28 network at
// batch 1 (`nasbench latency profile --target cpu-1t --clock thread-cpu --output table.json`); missing entries are
// profiled first. Both searches run on the embedded Fashion-MNIST sample with the same seed; each found genotype is
// then estimated with the table (cell edges and whole network) and measured end to end on the table's target.
using System.Globalization;
using System.Text;
using NasBench.Data;
using NasBench.Hardware.Cost;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Search;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

var c = CultureInfo.InvariantCulture;
string tablePath = args.Length > 0 ? args[0] : throw new ArgumentException("usage: <table.json> [epochs] [lambda]");
int epochs = args.Length > 1 ? int.Parse(args[1], c) : 4;
double[] lambdas = (args.Length > 2 ? args[2] : "0,1").Split(',').Select(v => double.Parse(v, c)).ToArray();
string? report = args.Length > 3 ? args[3] : null;
int images = args.Length > 4 ? int.Parse(args[4], c) : int.MaxValue;

var supernet = new SupernetConfig(InitChannels: 8, Layers: 5);
var network = new NetworkConfig(InitChannels: 8, Layers: 5);
var layout = new DartsNetworkLayout(network, batch: 1);
var table = LatencyTableIo.Read(tablePath);
var target = TargetRegistry.Resolve(table.Fingerprint.Target,
    table.Fingerprint.Clock == TargetFingerprint.ThreadCpuClock ? MeasurementClock.ThreadCpu : MeasurementClock.Wall);
table = LatencyProfiler.Profile(target, new DartsOperationModules(), layout.SpaceOperations(), "darts",
    MeasurementProtocol.Default, table);
LatencyTableJson.Write(table, tablePath);
var latency = new DartsLatencyModel(table, layout);
var costTable = ArchitectureCostTable.Build(supernet, new TableLatencyCostModel(table, batch: 1));
var sample = EmbeddedSample.Load().Train;
// A prefix of the sample keeps a CPU search short; the split inside the runner is stratified anyway.
var train = images < sample.Count
    ? sample.Subset(Enumerable.Range(0, images).ToArray(), $"{sample.Name}[0..{images})")
    : sample;

var sb = new StringBuilder();
sb.Append(c, $"EG-DARTS, latency cost from {tablePath} ({table.Fingerprint.Describe()}); {epochs} epochs on ")
  .Append(c, $"{train.Name} ({train.Count} images), supernet C=8, 5 cells; seed 2.\n\n")
  .Append("| λ | val acc (search) | cell-edge latency, lookup (ms) | network lookup (ms) | network measured median (ms) | IQR (ms) | search s | genotype |\n")
  .Append("|---|---|---|---|---|---|---|---|\n");
foreach (double l in lambdas)
{
    var settings = new BlockSearchSettings("eg-darts", supernet, Epochs: epochs, BatchSize: 32, Seed: 2, Lambda: l);
    var runner = new BlockSearchRunner(settings, train, new TableLatencyCostModel(table, batch: 1))
    {
        EpochCompleted = (epoch, row) => Console.Error.WriteLine($"λ={l}: {string.Join(' ', row.Take(9))}"),
    };
    var result = runner.Run();
    var g = result.Genotype;
    var net = new DartsNetwork(g, network, new Generator(1));
    var measured = target.Measure(net, [1, 1, 28, 28], MeasurementProtocol.Default);
    sb.Append(c, $"| {l} | {result.ValidationAccuracy:P1} | {costTable.CostOf(g):F3} | {latency.EstimateMs(g):F3} | ")
      .Append(c, $"{measured.MedianMs:F3} | {measured.IqrMs:F3} | {result.Seconds:F0} | `{g}` |\n");
    Console.Error.WriteLine(sb.ToString());
}
Console.WriteLine(sb.ToString());
if (report is not null)
{
    File.WriteAllText(report, sb.ToString());
}

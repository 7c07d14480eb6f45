#:project ../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false

// Measures the same sampled DARTS networks several times in a row on cpu-1t (thread-CPU clock, default protocol):
// how well one measurement reproduces (docs/latency.md, "Reproducibility"). Usage, from the repository root:
//   dotnet run -c Release tools/latency-repeat.cs [indices, e.g. 28,25] [same|new] [repeats]
// Networks are those of `nasbench latency study --count 200` (seed 42; C = 8, 5 cells, 1x28x28, batch 1); `same`
// measures one instance repeatedly, `new` builds a fresh instance (new weight arrays) for every measurement.
// Each line: median ± IQR/median (%) of each measurement.
using System.Globalization;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;

var c = CultureInfo.InvariantCulture;
int[] ids = args.Length > 0 ? [.. args[0].Split(',').Select(s => int.Parse(s, c))] : [28, 25];
string mode = args.Length > 1 ? args[1] : "same";
int repeats = args.Length > 2 ? int.Parse(args[2], c) : 6;
var config = new NetworkConfig(InitChannels: 8, Layers: 5);
var genotypes = RandomGenotypeSampler.Sample(Math.Max(200, ids.Max() + 1), 42);
var target = CpuTarget.SingleThread(MeasurementClock.ThreadCpu);
foreach (int id in ids)
{
    var line = new List<string>();
    DartsNetwork? network = null;
    for (int r = 0; r < repeats; r++)
    {
        if (network is null || mode == "new")
        {
            network = new DartsNetwork(genotypes[id], config, new Generator(42 + (ulong)id));
        }
        var s = target.Measure(network, [1, 1, 28, 28], MeasurementProtocol.Default);
        line.Add(string.Create(c, $"{s.MedianMs:F3}±{100 * s.RelativeIqr:F0}"));
    }
    Console.WriteLine($"#{id} {mode}: {string.Join(" ", line)}");
}

#:project ../../../../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
using System.Diagnostics;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;
// Exact S2D against the fast estimate (10 power + 100 Rayleigh steps), one unit of 8 neurons, one batch of 16 8×8
// images, as ExactVersusFastBenchmarks; both paths warmed up once at d = 144 first, so no figure includes the JIT.
(GrowableNetwork Net, LabeledBatch Batch) Problem(int d)
{
    int cin = d / 9;
    var spec = new NetworkSpec("bench", cin, 8, 8, 10,
        [new UnitSpec(UnitKinds.Conv, 8, 3, 1), new UnitSpec(UnitKinds.GlobalPool), new UnitSpec(UnitKinds.Classifier, 10)]);
    var net = new GrowableNetwork(spec, new Generator(1));
    var g = new Generator(3);
    var images = new float[16 * cin * 64];
    g.FillNormal(images);
    return (net, new LabeledBatch(images, [.. Enumerable.Range(0, 16).Select(i => i % 10)], (16, cin, 8, 8)));
}
var options = new FastSplitOptions(PowerIterations: 10, Iterations: 100);
var (wn, wb) = Problem(144);
ExactSplitting.Estimate(wn, [wb]);
FastSplitting.Estimate(wn, [wb], options);
foreach (int d in new[] { 144, 576, 1152 })
{
    var (net, batch) = Problem(d);
    double Time(Action a) { var sw = Stopwatch.StartNew(); a(); return sw.Elapsed.TotalSeconds; }
    var exact = Enumerable.Range(0, d == 1152 ? 1 : 3).Select(_ => Time(() => ExactSplitting.Estimate(net, [batch]))).Min();
    var fast = Enumerable.Range(0, 3).Select(_ => Time(() => FastSplitting.Estimate(net, [batch], options))).Min();
    Console.WriteLine($"d = {d}: exact {exact:F2} s, fast {fast:F2} s, speed-up {exact / fast:F1}x");
}

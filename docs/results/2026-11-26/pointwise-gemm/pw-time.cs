#:project ../../../../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
#:property PublishTrimmed=false
#:property NoWarn=IL2026;IL2075
// The 1x1 convolutions of the evaluation network (C = 24, 8 cells, batch 96: the cells' preprocessing), each pass
// alone at 1 thread on the thread-CPU clock. Usage: dotnet run -c Release pw-time.cs [REPS]; env ONLY=cin-cout-hw,...
using NasBench.Kernels.Cpu;
using NasBench.Hardware.Targets;
CpuParallel.MaxThreads = int.Parse(Environment.GetEnvironmentVariable("THREADS") ?? "1");
// DIRECTB=R sets GemmBlocking.DirectBMaxRows (0: B is always packed).
if (Environment.GetEnvironmentVariable("DIRECTB") is { } directB)
{
    typeof(Conv2dKernel).Assembly.GetType("NasBench.Kernels.Cpu.Gemm.GemmBlocking")!.GetProperty("DirectBMaxRows")!
        .SetValue(null, int.Parse(directB));
}
int reps = args.Length > 0 ? int.Parse(args[0]) : 15;
var only = Environment.GetEnvironmentVariable("ONLY")?.Split(',');
const int N = 96;
var shapes = new (int Cin, int Cout, int Hw)[] { (72, 24, 28), (96, 24, 28), (96, 48, 28), (192, 48, 14), (192, 96, 14), (384, 96, 7), (24, 24, 28) };
var rng = new Random(1);
double total = 0;
foreach (var (cin, cout, hw) in shapes)
{
    string key = $"{cin}-{cout}-{hw}";
    if (only != null && !only.Contains(key)) continue;
    var s = new Conv2dShape(N, cin, hw, hw, cout, 1, 1, 1, 1, 0, 0, 1, 1, 1);
    var x = new float[s.InputLength]; var w = new float[s.WeightLength]; var y = new float[s.OutputLength];
    var dx = new float[s.InputLength]; var dw = new float[s.WeightLength];
    foreach (var a in new[] { x, w, y }) for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() - 0.5);
    double flop = 2.0 * N * cin * cout * hw * hw;
    var names = new[] { "fwd", "data", "weight" };
    var line = $"1x1 {cin,3}->{cout,-3} {hw,2}x{hw,-2} N={N}:";
    for (int p = 0; p < 3; p++)
    {
        var ts = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            double c0 = ThreadCpuClock.NowMs();
            if (p == 0) Conv2dKernel.Forward(s, x, w, default, y);
            else if (p == 1) Conv2dKernel.BackwardData(s, y, w, dx, false);
            else Conv2dKernel.BackwardWeight(s, x, y, dw, default, false);
            ts.Add(ThreadCpuClock.NowMs() - c0);
        }
        ts.Sort();
        total += ts[0];
        line += $"  {names[p]} {ts[0],6:F2} ms {flop / ts[0] / 1e6,5:F0} GF/s";
    }
    Console.WriteLine(line);
    double cs = 0; foreach (var v in y) cs += v; foreach (var v in dx) cs += v; foreach (var v in dw) cs += v;
    Console.WriteLine($"   checksum {cs:R}");
}
Console.WriteLine($"sum of mins {total:F2} ms");

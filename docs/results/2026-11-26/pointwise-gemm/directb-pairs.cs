#:project ../../../../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
#:property PublishTrimmed=false
#:property NoWarn=IL2026;IL2075
// 1x1 convolution passes with B read in place (GemmBlocking.DirectBMaxRows = 64, the default) against B always
// packed (0), alternating rep by rep in one process, 1 thread, thread CPU clock. Usage: dotnet run -c Release
// directb-pairs.cs [REPS] [BATCH]
using NasBench.Kernels.Cpu;
using NasBench.Hardware.Targets;
CpuParallel.MaxThreads = 1;
int reps = args.Length > 0 ? int.Parse(args[0]) : 9;
int batch = args.Length > 1 ? int.Parse(args[1]) : 96;
var prop = typeof(Conv2dKernel).Assembly.GetType("NasBench.Kernels.Cpu.Gemm.GemmBlocking")!.GetProperty("DirectBMaxRows")!;
var rng = new Random(1);
foreach (var (cin, cout, hw) in new[] { (16, 16, 28), (24, 24, 28), (64, 16, 28), (72, 24, 28), (96, 24, 28), (96, 48, 28), (192, 48, 14), (128, 32, 14), (32, 32, 14), (64, 64, 7) })
{
    var s = new Conv2dShape(batch, cin, hw, hw, cout, 1, 1);
    float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() - 0.5); return a; }
    var x = R(s.InputLength); var w = R(s.WeightLength); var dy = R(s.OutputLength);
    var y = new float[s.OutputLength]; var dx = new float[s.InputLength]; var dw = new float[s.WeightLength];
    var line = $"{cin,3}->{cout,-3} {hw,2}x{hw,-2} N={batch}:";
    foreach (var pass in new[] { "fwd", "data", "weight" })
    {
        var t = new List<double>[2] { new(), new() };
        for (int i = 0; i < 2 * reps; i++)
        {
            int mode = i % 2;
            prop.SetValue(null, mode == 0 ? 64 : 0);
            double c0 = ThreadCpuClock.NowMs();
            if (pass == "fwd") Conv2dKernel.Forward(s, x, w, default, y);
            else if (pass == "data") Conv2dKernel.BackwardData(s, dy, w, dx, false);
            else Conv2dKernel.BackwardWeight(s, x, dy, dw, default, false);
            t[mode].Add(ThreadCpuClock.NowMs() - c0);
        }
        prop.SetValue(null, 64);
        t[0].Sort(); t[1].Sort();
        line += $"  {pass} {t[0][0],6:F2}/{t[1][0],6:F2} ({t[1][0] / t[0][0]:F2})";
    }
    Console.WriteLine(line + "   [in place / packed, min ms (ratio)]");
}

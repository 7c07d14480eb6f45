#:project ../../../../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
// Per pass: ReLU + 1×1 conv kernels unfused (ActivationKernel then Conv2dKernel) against the fused kernel passes,
// alternating, 1 thread, thread CPU clock. Usage: dotnet run -c Release relu-conv-passes.cs [REPS]
using NasBench.Kernels.Cpu;
using NasBench.Hardware.Targets;
CpuParallel.MaxThreads = 1;
int reps = args.Length > 0 ? int.Parse(args[0]) : 9;
var rng = new Random(1);
foreach (var (cin, cout, hw) in new[] { (96, 24, 28), (96, 48, 28), (192, 48, 14) })
{
    var s = new Conv2dShape(96, cin, hw, hw, cout, 1, 1);
    float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() - 0.5); return a; }
    var x = R(s.InputLength); var w = R(s.WeightLength); var dy = R(s.OutputLength);
    var r = new float[s.InputLength]; var y = new float[s.OutputLength]; var dx = new float[s.InputLength];
    var through = new float[s.InputLength]; var dw = new float[s.WeightLength];
    var line = $"{cin}->{cout} {hw}x{hw}:";
    foreach (var pass in new[] { "fwd", "data", "weight" })
    {
        var t = new List<double>[2] { new(), new() };
        for (int i = 0; i < 2 * reps; i++)
        {
            bool fused = i % 2 == 1;
            double c0 = ThreadCpuClock.NowMs();
            switch (pass)
            {
                case "fwd":
                    if (fused) Conv2dKernel.Forward(s, x, w, default, y, reluInput: true);
                    else { ActivationKernel.Relu(x, r); Conv2dKernel.Forward(s, r, w, default, y); }
                    break;
                case "data":
                    if (fused) Conv2dKernel.BackwardData(s, dy, w, dx, false, reluInputOf: x);
                    else { Conv2dKernel.BackwardData(s, dy, w, through, false); ActivationKernel.ReluBackward(x, through, dx, false); }
                    break;
                default:
                    if (fused) Conv2dKernel.BackwardWeight(s, x, dy, dw, default, false, reluInput: true);
                    else Conv2dKernel.BackwardWeight(s, r, dy, dw, default, false);
                    break;
            }
            t[fused ? 1 : 0].Add(ThreadCpuClock.NowMs() - c0);
        }
        t[0].Sort(); t[1].Sort();
        line += $"  {pass} {t[0][0]:F2}/{t[1][0]:F2} ({t[1][0] / t[0][0]:F2})";
    }
    Console.WriteLine(line + "   [unfused/fused min ms (ratio)]");
}

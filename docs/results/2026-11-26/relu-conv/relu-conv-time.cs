#:project ../../../../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
// ReLU → 1×1 conv of the evaluation network's cell pre-processing (C = 24, 8 cells, batch 96), forward + backward,
// unfused (Relu then Conv2d) and fused (ReluConv2d), alternating in one process, thread CPU clock.
// Usage: dotnet run -c Release relu-conv-time.cs [REPS] (env THREADS, default 1)
using NasBench.Tensors;
using NasBench.Kernels.Cpu;
using NasBench.Hardware.Targets;
CpuParallel.MaxThreads = int.Parse(Environment.GetEnvironmentVariable("THREADS") ?? "1");
int reps = args.Length > 0 ? int.Parse(args[0]) : 9;
var g = new Generator(0);
double sumU = 0, sumF = 0;
foreach (var (cin, cout, hw, stride) in new[] { (72, 24, 28, 1), (96, 24, 28, 1), (96, 48, 28, 1), (192, 48, 14, 1), (192, 96, 14, 1), (384, 96, 7, 1), (96, 24, 28, 2) })
{
    var x = Tensor.Randn(g, 96, cin, hw, hw).DetachFromScope(); x.RequiresGrad = true;
    var w = Tensor.Randn(g, cout, cin, 1, 1).DetachFromScope(); w.RequiresGrad = true;
    int oh = (hw - 1) / stride + 1;
    var gy = Tensor.Randn(g, 96, cout, oh, oh).DetachFromScope();
    var t = new List<double>[2] { new(), new() };
    for (int i = 0; i < 2 * reps; i++)
    {
        bool fused = i % 2 == 1;
        using var scope = TensorScope.Enter();
        double c0 = ThreadCpuClock.NowMs();
        var y = fused ? Functional.ReluConv2d(x, w, null, stride) : Functional.Conv2d(Functional.Relu(x), w, null, stride);
        y.Backward(gy);
        t[fused ? 1 : 0].Add(ThreadCpuClock.NowMs() - c0);
        x.ZeroGrad(); w.ZeroGrad();
    }
    t[0].Sort(); t[1].Sort();
    sumU += t[0][0]; sumF += t[1][0];
    Console.WriteLine($"relu->1x1 s{stride} {cin,3}->{cout,-3} {hw,2}x{hw,-2} N=96 f+b: unfused min {t[0][0],7:F2} med {t[0][reps / 2],7:F2} ms | fused min {t[1][0],7:F2} med {t[1][reps / 2],7:F2} ms | fused/unfused {t[1][0] / t[0][0]:F2}");
}
Console.WriteLine($"sum of mins: unfused {sumU:F1} ms, fused {sumF:F1} ms, ratio {sumF / sumU:F2}");

#:project ../src/NasBench.Search/NasBench.Search.csproj
#:property TieredCompilationQuickJitForLoops=false
// Dense 3x3 convolution forward and forward+backward at 1 thread on the thread-CPU clock, beside
// benchmarks/peers/torch_dense_conv_cpu.py. Usage: dotnet run -c Release tools/dense-conv-time.cs
using NasBench.Tensors;
using NasBench.Kernels.Cpu;
using NasBench.Hardware.Targets;
CpuParallel.MaxThreads = 1;
var g = new Generator(0);
foreach (var (c, h) in new[] { (16, 28), (32, 14) })
{
    var x = Tensor.Randn(g, 64, c, h, h).DetachFromScope(); x.RequiresGrad = true;
    var w = Tensor.Randn(g, c, c, 3, 3).DetachFromScope(); w.RequiresGrad = true;
    var gy = Tensor.Randn(g, 64, c, h, h).DetachFromScope();
    foreach (var bwd in new[] { false, true })
    {
        var ts = new List<double>();
        for (int i = 0; i < 25; i++)
        {
            using var scope = TensorScope.Enter();
            double c0 = ThreadCpuClock.NowMs();
            var y = Functional.Conv2d(x, w, null, 1, 1);
            if (bwd) y.Backward(gy);
            ts.Add(ThreadCpuClock.NowMs() - c0);
            x.ZeroGrad(); w.ZeroGrad();
        }
        ts.Sort();
        Console.WriteLine($"nasbench dense 3x3 [64,{c},{h},{h}] {(bwd ? "f+b" : "fwd")}: min {ts[0]:F2} med {ts[12]:F2} ms");
    }
}

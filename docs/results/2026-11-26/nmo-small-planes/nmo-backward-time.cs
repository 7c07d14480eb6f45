#:project ../../../../kernels/NasBench.Kernels/NasBench.Kernels.csproj
using System.Diagnostics;
using NasBench.Kernels.Cpu;
// NormalizedMixedOpKernel.Backward at 1 thread on short planes, min of many calls (thread CPU time not needed: paused machine).
CpuParallel.MaxThreads = 1;
foreach (var (n, c, plane) in new[] { (64, 64, 49), (64, 32, 196), (8, 64, 49) })
{
    const int k = 7;
    var rng = new Random(1);
    float[] R(int len) { var a = new float[len]; for (int i = 0; i < len; i++) a[i] = (float)rng.NextDouble() - 0.5f; return a; }
    int len = n * c * plane;
    var inputs = Enumerable.Range(0, k).Select(_ => R(len)).ToArray();
    var dInputs = Enumerable.Range(0, k).Select(_ => (float[]?)new float[len]).ToArray();
    var w = R(k); var stats = Enumerable.Repeat(true, k).ToArray(); var eps = Enumerable.Repeat(1e-5f, k).ToArray();
    var mean = new float[k * c]; var inv = new float[k * c]; var variance = new float[k * c]; var y = new float[len];
    NormalizedMixedOpKernel.Forward(n, c, plane, w, inputs, stats, eps, mean, inv, variance, y);
    var dy = R(len); var acc = new bool[k]; var dw = new float[k];
    double best = double.MaxValue;
    for (int r = 0; r < 60; r++)
    {
        var sw = Stopwatch.StartNew();
        NormalizedMixedOpKernel.Backward(n, c, plane, w, inputs, stats, mean, inv, dy, dInputs, acc, dw);
        best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"nmo bwd {n}x{c}x{plane} k={k}: min {best:F3} ms");
}

#:project ../../../../kernels/NasBench.Kernels/NasBench.Kernels.csproj
using System.Diagnostics;
using NasBench.Kernels.Cpu;
// Cost of one CpuParallel.For of 48 near-empty chunks at 2 threads, and of a small real body (~20 µs of work).
CpuParallel.MaxThreads = 2;
var sink = new double[64];
void Work(int i, int n) { double a = i; for (int k = 0; k < n; k++) a = a * 1.0000001 + 1e-9; sink[i] = a; }
foreach (int inner in new[] { 0, 400 })
{
    for (int rep = 0; rep < 3; rep++)
    {
        const int calls = 20000;
        var sw = Stopwatch.StartNew();
        for (int c = 0; c < calls; c++) CpuParallel.For(48, i => Work(i, inner));
        double par = sw.Elapsed.TotalMilliseconds * 1000 / calls;
        sw.Restart();
        for (int c = 0; c < calls; c++) for (int i = 0; i < 48; i++) Work(i, inner);
        double ser = sw.Elapsed.TotalMilliseconds * 1000 / calls;
        Console.WriteLine($"inner {inner}: parallel {par:F2} µs/call, serial {ser:F2} µs/call");
    }
}

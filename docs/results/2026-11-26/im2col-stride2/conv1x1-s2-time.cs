#:project /work/main/kernels/NasBench.Kernels/NasBench.Kernels.csproj
#:property AllowUnsafeBlocks=true
using System.Diagnostics;
using NasBench.Kernels;
using NasBench.Kernels.Cpu;
// The 1×1 stride-2 convolutions of factorized reduce, forward / backward-data / backward-weight, 1 thread.
int reps = int.Parse(args[0]);
CpuParallel.MaxThreads = 1;
foreach (var (side, ch) in new[] { (28, 16), (14, 32) })
{
  var s = new Conv2dShape(64, ch, side, side, ch, 1, 1, StrideH: 2, StrideW: 2);
  var rng = new Random(1);
  float[] x = new float[s.InputLength], w = new float[s.WeightLength], y = new float[s.OutputLength], dx = new float[s.InputLength], dw = new float[s.WeightLength];
  for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
  for (int i = 0; i < w.Length; i++) w[i] = (float)rng.NextDouble() - 0.5f;
  double T(Action a) {
    for (int r = 0; r < 3; r++) a();
    var best = double.MaxValue;
    for (int k = 0; k < 5; k++) {
      var t0 = Process.GetCurrentProcess().TotalProcessorTime;
      for (int r = 0; r < reps; r++) a();
      best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / reps);
    }
    return best;
  }
  double f = T(() => Conv2dKernel.Forward(s, x, w, [], y));
  double d = T(() => Conv2dKernel.BackwardData(s, y, w, dx, false));
  double g = T(() => Conv2dKernel.BackwardWeight(s, x, y, dw, [], false));
  double chk = 0; foreach (var v in y) chk += v; foreach (var v in dw) chk += v;
  Console.WriteLine($"conv1x1 s2 64x{ch}x{side}x{side}: fwd {f:F3} bwdD {d:F3} bwdW {g:F3} ms  chk {chk:R}");
}

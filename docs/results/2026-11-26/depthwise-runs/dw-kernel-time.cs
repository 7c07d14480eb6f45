#:project /work/main/kernels/NasBench.Kernels/NasBench.Kernels.csproj
#:property AllowUnsafeBlocks=true
using System.Diagnostics;
using NasBench.Kernels;
using NasBench.Kernels.Cpu;
int reps = int.Parse(args[0]);
CpuParallel.MaxThreads = 1;
foreach (var (side, ch, k, dil) in new[] { (28, 16, 3, 1), (28, 16, 5, 2), (14, 32, 3, 1), (14, 32, 5, 1), (14, 32, 5, 2), (7, 64, 3, 1), (7, 64, 5, 1), (7, 64, 3, 2), (7, 64, 5, 2) })
{
  string? only = Environment.GetEnvironmentVariable("ONLY");
  if (only != null && !only.Split(',').Contains($"{side}k{k}d{dil}")) continue;
  int pad = dil * (k - 1) / 2;
  var s = new Conv2dShape(64, ch, side, side, ch, k, k, PadH: pad, PadW: pad, DilationH: dil, DilationW: dil, Groups: ch);
  var rng = new Random(1);
  float[] x = new float[s.InputLength], w = new float[s.WeightLength], y = new float[s.OutputLength], dx = new float[s.InputLength], dw = new float[s.WeightLength];
  for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
  for (int i = 0; i < w.Length; i++) w[i] = (float)rng.NextDouble() - 0.5f;
  double T(Action a) {
    for (int r = 0; r < 3; r++) a();
    var best = double.MaxValue;
    for (int kk = 0; kk < 5; kk++) {
      var t0 = Process.GetCurrentProcess().TotalProcessorTime;
      for (int r = 0; r < reps; r++) a();
      var t1 = Process.GetCurrentProcess().TotalProcessorTime;
      best = Math.Min(best, (t1 - t0).TotalMilliseconds / reps);
    }
    return best;
  }
  double f = T(() => DepthwiseConv2dKernel.Forward(s, x, w, [], y, reluInput: true));
  double d = T(() => DepthwiseConv2dKernel.BackwardData(s, y, w, dx, false, x));
  double g = T(() => DepthwiseConv2dKernel.BackwardWeight(s, x, y, dw, [], false, true));
  double chk = 0; foreach (var v in y) chk += v; foreach (var v in dx) chk += v; foreach (var v in dw) chk += v;
  Console.WriteLine($"dw 64x{ch}x{side}x{side} k{k}d{dil}: fwd {f:F3} bwdD {d:F3} bwdW {g:F3} ms  chk {chk:R}");
}

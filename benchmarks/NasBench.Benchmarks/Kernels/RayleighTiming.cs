using System.Globalization;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Side-by-side timing of 10 Rayleigh-quotient iterations on a batch of 64 symmetric d×d matrices, the
/// case of peers.md §4 (PyTorch's batched mat-vec: 368 ms at d = 1152, 1 thread).</summary>
/// <remarks>Usage: <c>rq-time THREADS D... </c>; <c>CPUCLOCK=1</c> times this thread's CPU time (1 thread only), as
/// <c>benchmarks/peers/torch_rq_cpu.py</c> does for PyTorch.</remarks>
public static class RayleighTiming
{
    public static int Run(string[] args)
    {
        int threads = TimingArguments.Int(args, 0, "THREADS");
        CpuParallel.MaxThreads = threads;
        foreach (string arg in args.Skip(1))
        {
            int d = TimingArguments.ParseInt(arg, "D");
            const int batch = 64;
            var rng = new Random(1);
            var s = new float[batch * d * d];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        float value = (float)((rng.NextDouble() - 0.5) / Math.Sqrt(d));
                        s[(b * d * d) + (i * d) + j] = value;
                        s[(b * d * d) + (j * d) + i] = value;
                    }
                }
            }
            var v0 = new float[batch * d];
            for (int i = 0; i < v0.Length; i++)
            {
                v0[i] = (float)(rng.NextDouble() - 0.5);
            }
            var v = new float[v0.Length];
            var lambda = new float[batch];
            var times = new List<double>();
            for (int rep = 0; rep < 6; rep++)
            {
                v0.CopyTo(v, 0);
                double ms = StepClock.MeasureMs(() => RayleighQuotientKernel.Iterate(batch, d, s, v, 0.25f, 10, lambda));
                if (rep > 0)
                {
                    times.Add(ms);
                }
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RQ x10 x64 d={d,5} {threads}T ({StepClock.Name}): min {times[0],8:F1} ms  med {times[times.Count / 2],8:F1} ms"));
        }
        return 0;
    }
}

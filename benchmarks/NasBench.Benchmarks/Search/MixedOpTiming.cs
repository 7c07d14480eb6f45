using System.Globalization;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Benchmarks.Search;

/// <summary>Side-by-side timing of one DARTS mixed op (all 8 candidates and the weighted sum) on [64,16,28,28],
/// forward and forward+backward, in the format of <c>shared/peers/torch_mixedop.py</c> (peers.md §3b).</summary>
/// <remarks>Usage: <c>mixedop-time THREADS [REPS] [CxS]</c>; <c>CPUCLOCK=1</c> times this thread's CPU time (1 thread
/// only), which is what <c>benchmarks/peers/torch_mixedop_cpu.py</c> reports for PyTorch; <c>FUSE=0</c> times the
/// unfused batch norms; <c>CxS</c> picks the edge [64, C, S, S] (e.g. <c>64x7</c>); <c>BATCH_MINOR=P</c> sets
/// <see cref="MixedOp.BatchMinorMaxPlane"/> (0: NCHW at every size).</remarks>
public static class MixedOpTiming
{
    public static int Run(string[] args)
    {
        int threads = TimingArguments.Int(args, 0, "THREADS", fallback: 1);
        int reps = TimingArguments.Int(args, 1, "REPS", fallback: 5);
        CpuParallel.MaxThreads = threads;
        var g = new Generator(0);
        // FUSE=0 runs the candidates' final batch norms as separate layers (the unfused path) for comparison.
        // SHARE=0 runs each depthwise candidate's first convolution as its own pass (before heads were shared).
        int channels = 16, side = 28;
        if (args.Length > 2)
        {
            string[] parts = args[2].Split('x');
            channels = TimingArguments.ParseInt(parts[0], "CHANNELS (of CxS)");
            side = TimingArguments.ParseInt(parts.Length > 1 ? parts[1] : "", "SIDE (of CxS)");
        }
        string? batchMinor = Environment.GetEnvironmentVariable("BATCH_MINOR");
        var op = new MixedOp(channels, 1, g)
        {
            FuseNorms = Environment.GetEnvironmentVariable("FUSE") != "0",
            ShareDepthwiseHeads = Environment.GetEnvironmentVariable("SHARE") != "0",
            BatchMinorMaxPlane = batchMinor is null ? MixedOp.DefaultBatchMinorMaxPlane
                : int.Parse(batchMinor, CultureInfo.InvariantCulture),
        };
        var x = Tensor.Randn(g, 64, channels, side, side).DetachFromScope();
        x.RequiresGrad = true;
        var alpha = new NasBench.Tensors.Nn.Parameter(Tensor.Randn(g, 8));
        double Time(bool backward)
        {
            using var scope = TensorScope.Enter();
            double ms = StepClock.MeasureMs(() =>
            {
                var y = op.Forward(x, alpha.Softmax());
                if (backward)
                {
                    y.Sum().Backward();
                }
            });
            x.ZeroGrad();
            alpha.ZeroGrad();
            op.ZeroGrad();
            return ms;
        }
        foreach (bool backward in new[] { false, true })
        {
            var (min, med) = StepClock.MinMedian(() => Time(backward), reps);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mixed op [64,{channels},{side},{side}] {(backward ? "fwd+bwd" : "fwd    ")} {threads}T ({StepClock.Name}): min {min,8:F1} ms  med {med,8:F1} ms"));
        }
        return 0;
    }
}

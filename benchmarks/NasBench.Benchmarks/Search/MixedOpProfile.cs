using System.Globalization;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;
using NasBench.Search.Darts;
using NasBench.Search.Darts.Operations;
using NasBench.Tensors;

namespace NasBench.Benchmarks.Search;

/// <summary>Where the mixed op's time goes: each candidate of <see cref="MixedOpTiming"/>'s edge timed alone, forward
/// and forward+backward, on [64,16,28,28].</summary>
/// <remarks>Usage: <c>mixedop-profile THREADS [REPS] [CxS]</c> (with <c>CPUCLOCK=1</c> at 1 thread on a shared machine);
/// <c>CxS</c> picks another edge shape [64, C, S, S], e.g. <c>32x14</c> or <c>64x7</c> for the deeper cells.</remarks>
public static class MixedOpProfile
{
    public static int Run(string[] args)
    {
        int threads = TimingArguments.Int(args, 0, "THREADS", fallback: 1);
        int reps = TimingArguments.Int(args, 1, "REPS", fallback: 5);
        CpuParallel.MaxThreads = threads;
        if (args.Length > 2 && args[2] == "blocks")
        {
            MixedOpBlockProfile.Run(reps);
            return 0;
        }
        int channels = 16, side = 28;
        if (args.Length > 2)
        {
            string[] parts = args[2].Split('x');
            channels = TimingArguments.ParseInt(parts[0], "CHANNELS (of CxS)");
            side = TimingArguments.ParseInt(parts.Length > 1 ? parts[1] : "", "SIDE (of CxS)");
        }
        var g = new Generator(0);
        var x = Tensor.Randn(g, 64, channels, side, side).DetachFromScope();
        x.RequiresGrad = true;
        Console.WriteLine($"edge [64, {channels}, {side}, {side}], {threads} thread(s)");
        foreach (string name in DartsOperations.All)
        {
            if (name == DartsOperations.None)
            {
                continue;
            }
            var op = DartsOperationFactory.Create(name, channels, 1, affine: false, search: true, g);
            double Time(bool backward)
            {
                using var scope = TensorScope.Enter();
                double ms = StepClock.MeasureMs(() =>
                {
                    var y = op.Forward(x);
                    if (backward)
                    {
                        y.Sum().Backward();
                    }
                });
                x.ZeroGrad();
                op.ZeroGrad();
                return ms;
            }
            var row = new List<string>();
            foreach (bool backward in new[] { false, true })
            {
                var (min, med) = StepClock.MinMedian(() => Time(backward), reps);
                row.Add(string.Create(CultureInfo.InvariantCulture, $"{(backward ? "f+b" : "fwd")} min {min,7:F2} med {med,7:F2} ms"));
            }
            Console.WriteLine($"{name,-14} {string.Join("   ", row)}");
        }
        return 0;
    }
}

/// <summary>The mixed op's building blocks alone on [64,16,28,28] (<c>mixedop-profile THREADS REPS blocks</c>).</summary>
public static class MixedOpBlockProfile
{
    public static void Run(int reps)
    {
        var g = new Generator(1);
        var x = Tensor.Randn(g, 64, 16, 28, 28).DetachFromScope();
        x.RequiresGrad = true;
        var dw3 = Tensor.Randn(g, 16, 1, 3, 3).DetachFromScope();
        dw3.RequiresGrad = true;
        var dw5 = Tensor.Randn(g, 16, 1, 5, 5).DetachFromScope();
        dw5.RequiresGrad = true;
        var pw = Tensor.Randn(g, 16, 16, 1, 1).DetachFromScope();
        pw.RequiresGrad = true;
        var ws = Tensor.Randn(g, 7).DetachFromScope();
        ws.RequiresGrad = true;
        var blocks = new (string Name, Func<Tensor> Forward)[]
        {
            ("relu", () => Functional.Relu(x)),
            ("dw3x3", () => Functional.Conv2d(x, dw3, null, 1, 1, 1, 16)),
            ("dw5x5", () => Functional.Conv2d(x, dw5, null, 1, 2, 1, 16)),
            ("dw3x3 dil2", () => Functional.Conv2d(x, dw3, null, 1, 2, 2, 16)),
            ("pw 16->16", () => Functional.Conv2d(x, pw)),
            ("bn (no affine)", () => Functional.BatchNorm(x, null, null, null, null, true)),
            ("maxpool 3x3", () => Functional.MaxPool2d(x, 3, 1, 1)),
            ("avgpool 3x3", () => Functional.AvgPool2d(x, 3, 1, 1)),
            ("weighted sum 7", () => Functional.WeightedSum(Enumerable.Repeat(x, 7).ToList(), ws)),
        };
        foreach (var (name, forward) in blocks)
        {
            var row = new List<string>();
            foreach (bool backward in new[] { false, true })
            {
                double Time()
                {
                    using var scope = TensorScope.Enter();
                    double ms = StepClock.MeasureMs(() =>
                    {
                        var y = forward();
                        if (backward)
                        {
                            y.Backward(Tensor.Ones(y.Shape));
                        }
                    });
                    x.ZeroGrad();
                    return ms;
                }
                var (min, med) = StepClock.MinMedian(Time, reps);
                row.Add(string.Create(CultureInfo.InvariantCulture, $"{(backward ? "f+b" : "fwd")} min {min,7:F2} med {med,7:F2} ms"));
            }
            Console.WriteLine($"{name,-16} {string.Join("   ", row)}");
        }
    }
}

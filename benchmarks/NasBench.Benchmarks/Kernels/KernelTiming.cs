using System.Globalization;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Kernels.Cpu;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Quick side-by-side timing of the mixed op's memory-bound kernels called directly (no tensor layer):
/// pooling (beside a ReLU pass over the same input, the memory floor), batch norm and the pointwise 1×1 convolution,
/// the last on the direct kernel and on <see cref="Conv2dKernel"/>'s GEMM path, to find the crossover.</summary>
/// <remarks>Usage: <c>kernel-time THREADS [REPS] [pool|pool1|bn|bn1|pw|pw1|dw1|dws|nmo]</c> (pool1, bn1 and pw1:
/// the mixed op's shape and 1/16 of it, in cache; dws: the four depthwise heads of an edge, shared and separate; nmo:
/// the folded mixed op on the three edge shapes); with <c>CPUCLOCK=1</c> at 1 thread on a shared machine. Each line: min and median
/// milliseconds of one call.</remarks>
public static class KernelTiming
{
    public static int Run(string[] args)
    {
        int threads = TimingArguments.Int(args, 0, "THREADS", fallback: 1);
        int reps = TimingArguments.Int(args, 1, "REPS", fallback: 7);
        string only = args.Length > 2 ? args[2] : "all";
        CpuParallel.MaxThreads = threads;
        if (only is "all" or "pool" or "pool1")
        {
            Pooling(reps, new Pool2dShape(64, 16, 28, 28, 3, 1, 1));
            // The same planes, 1/16 as many (fits in L2): memory-bound or compute-bound?
            Pooling(reps, new Pool2dShape(4, 16, 28, 28, 3, 1, 1));
        }
        if (only is "all" or "pool")
        {
            Pooling(reps, new Pool2dShape(64, 32, 28, 28, 3, 2, 1));
            Pooling(reps, new Pool2dShape(64, 64, 14, 14, 3, 2, 1));
            Pooling(reps, new Pool2dShape(64, 32, 14, 14, 3, 1, 1));
            Pooling(reps, new Pool2dShape(64, 64, 7, 7, 3, 1, 1));
        }
        if (only is "bn1")
        {
            BatchNorm(reps, 64, 16, 28 * 28, affine: false);
            BatchNorm(reps, 4, 16, 28 * 28, affine: false);
        }
        if (only is "all" or "bn")
        {
            BatchNorm(reps, 64, 16, 28 * 28, affine: false);
            BatchNorm(reps, 64, 16, 28 * 28, affine: true);
            BatchNorm(reps, 64, 64, 7 * 7, affine: false);
            BatchNorm(reps, 64, 32, 14 * 14, affine: false);
            // In L2: the per-plane overhead of short planes without the memory traffic.
            BatchNorm(reps, 8, 64, 7 * 7, affine: false);
            BatchNorm(reps, 8, 32, 14 * 14, affine: false);
        }
        if (only is "pw1")
        {
            // The mixed op's shape, and 1/16 of it (in L2): memory-bound or compute-bound?
            Pointwise(reps, new Conv2dShape(64, 16, 28, 28, 16, 1, 1));
            Pointwise(reps, new Conv2dShape(4, 16, 28, 28, 16, 1, 1));
        }
        if (only is "dw1")
        {
            // The supernet's commonest depthwise shapes, and 1/16 of the first (in L2): memory-bound or not?
            Depthwise(reps, Dw(64, 16, 28, 3, 1));
            Depthwise(reps, Dw(4, 16, 28, 3, 1));
            Depthwise(reps, Dw(64, 16, 28, 5, 2));
            Depthwise(reps, Dw(64, 64, 7, 3, 1));
            // A reduction cell's first depthwise: stride 2 into four phase planes.
            Depthwise(reps, Dw(64, 32, 14, 3, 1) with { StrideH = 2, StrideW = 2 });
        }
        if (only is "dws")
        {
            // The four ReLU → depthwise heads of a mixed edge (sep 3×3, sep 5×5, dil 3×3, dil 5×5) in one pass over
            // the input, on the three map sizes of the search network.
            SharedHeads(reps, 64, 16, 28);
            SharedHeads(reps, 64, 32, 14);
            SharedHeads(reps, 64, 64, 7);
        }
        if (only is "all" or "nmo")
        {
            // The folded mixed op (seven candidates, six with batch statistics, plus a node's running sum) on the
            // edge shapes of the three map sizes.
            NormalizedMixedOp(reps, 64, 16, 28 * 28);
            NormalizedMixedOp(reps, 64, 32, 14 * 14);
            NormalizedMixedOp(reps, 64, 64, 7 * 7);
        }
        if (only is "all" or "bmdw")
        {
            // Batch-minor depthwise (cells on 14x14 and 7x7 maps): sep 3x3/5x5 and dil 3x3/5x5 per map size.
            foreach (var (c, side) in new[] { (32, 14), (64, 7) })
            {
                foreach (var (k, d) in new[] { (3, 1), (5, 1), (3, 2), (5, 2) })
                {
                    BatchMinorDepthwise(reps, new BatchMinorDepthwiseShape(c, side, side, 64, k, d, d * (k - 1) / 2));
                }
            }
        }
        if (only is "all" or "pw")
        {
            foreach (var (cin, cout, side) in new[]
            {
                (16, 16, 28), (32, 32, 14), (64, 64, 7), (8, 8, 28), (16, 64, 28), (64, 16, 28), (32, 32, 28),
                (64, 64, 14), (128, 128, 7), (128, 128, 14), (96, 96, 28),
            })
            {
                Pointwise(reps, new Conv2dShape(64, cin, side, side, cout, 1, 1, 1, 1, 0, 0, 1, 1, 1));
            }
        }
        return 0;
    }

    private static void Pooling(int reps, Pool2dShape s)
    {
        var rng = new Random(42);
        float[] x = Fill(rng, s.InputLength), dy = Fill(rng, s.OutputLength);
        float[] y = new float[s.OutputLength], dx = new float[s.InputLength];
        int[] arg = new int[s.OutputLength];
        string name = $"pool {s.Batch}x{s.Channels}x{s.Height}x{s.Width} s{s.Stride}";
        // A pass that reads x and writes y once: the floor a pooling forward is measured against.
        Print(name, "relu (floor)", reps, () => ActivationKernel.Relu(x, dx));
        Print(name, "max fwd", reps, () => PoolingKernel.MaxForward(s, x, y, arg));
        Print(name, "max bwd", reps, () => PoolingKernel.MaxBackward(s, dy, arg, dx, accumulate: false));
        Print(name, "avg fwd", reps, () => PoolingKernel.AvgForward(s, x, y));
        Print(name, "avg bwd", reps, () => PoolingKernel.AvgBackward(s, dy, dx, accumulate: false));
    }

    private static void BatchNorm(int reps, int n, int c, int plane, bool affine)
    {
        var rng = new Random(42);
        float[] x = Fill(rng, n * c * plane), dy = Fill(rng, n * c * plane);
        float[] y = new float[x.Length], dx = new float[x.Length];
        float[] mean = new float[c], inv = new float[c], rm = new float[c], rv = new float[c];
        float[] gamma = affine ? Fill(rng, c) : [], beta = affine ? Fill(rng, c) : [];
        float[] dg = affine ? new float[c] : [], db = affine ? new float[c] : [];
        string name = $"bn {n}x{c}x{plane}{(affine ? " affine" : "")}";
        Print(name, "fwd", reps, () => BatchNormKernel.ForwardTraining(n, c, plane, x, gamma, beta, y, mean, inv, rm,
            rv, 0.1f, 1e-5f));
        Print(name, "bwd", reps, () => BatchNormKernel.Backward(n, c, plane, x, dy, gamma, mean, inv, dx, dg, db,
            accumulate: false));
    }

    private static void NormalizedMixedOp(int reps, int n, int c, int plane)
    {
        const int K = 7;
        var rng = new Random(42);
        int total = n * c * plane;
        float[][] xs = [.. Enumerable.Range(0, K).Select(_ => Fill(rng, total))];
        float[] weights = Fill(rng, K), addend = Fill(rng, total), y = new float[total], dy = Fill(rng, total);
        bool[] stats = [.. Enumerable.Range(0, K).Select(k => k != K - 1)];
        float[] eps = [.. Enumerable.Repeat(1e-5f, K)];
        float[] mean = new float[K * c], inv = new float[K * c], variance = new float[K * c];
        Array.Fill(inv, 1f);
        float[]?[] dxs = [.. Enumerable.Range(0, K).Select(_ => new float[total])];
        float[] dw = new float[K];
        string name = $"nmo {n}x{c}x{plane} k{K}";
        Print(name, "fwd", reps, () => NormalizedMixedOpKernel.Forward(n, c, plane, weights, xs, stats, eps, mean,
            inv, variance, addend, y));
        Print(name, "bwd", reps, () => NormalizedMixedOpKernel.Backward(n, c, plane, weights, xs, stats, mean, inv,
            dy, dxs, new bool[K], dw));
    }

    private static void Pointwise(int reps, Conv2dShape s)
    {
        var rng = new Random(42);
        float[] x = Fill(rng, s.InputLength), w = Fill(rng, s.WeightLength), dy = Fill(rng, s.OutputLength);
        float[] y = new float[s.OutputLength], dx = new float[s.InputLength], dw = new float[s.WeightLength];
        string name = $"pw {s.InChannels}->{s.OutChannels} {s.Height}x{s.Width}";
        Print(name, "fwd  direct", reps, () => PointwiseConvKernel.Forward(s, x, w, [], y));
        Print(name, "fwd  gemm", reps, () => Gemm(() => Conv2dKernel.Forward(s, x, w, [], y)));
        Print(name, "bwdD direct", reps, () => PointwiseConvKernel.BackwardData(s, dy, w, dx, false));
        Print(name, "bwdD gemm", reps, () => Gemm(() => Conv2dKernel.BackwardData(s, dy, w, dx, false)));
        Print(name, "bwdW direct", reps, () => PointwiseConvKernel.BackwardWeight(s, x, dy, dw, [], false));
        Print(name, "bwdW gemm", reps, () => Gemm(() => Conv2dKernel.BackwardWeight(s, x, dy, dw, [], false)));
    }

    /// <summary>Stride-1, same-size depthwise geometry (DARTS's sep_conv / dil_conv).</summary>
    private static Conv2dShape Dw(int n, int c, int side, int k, int dilation) =>
        new(n, c, side, side, c, k, k, PadH: dilation * (k - 1) / 2, PadW: dilation * (k - 1) / 2,
            DilationH: dilation, DilationW: dilation, Groups: c);

    private static void Depthwise(int reps, Conv2dShape s)
    {
        var rng = new Random(42);
        float[] x = Fill(rng, s.InputLength), w = Fill(rng, s.WeightLength), dy = Fill(rng, s.OutputLength);
        float[] y = new float[s.OutputLength], dx = new float[s.InputLength], dw = new float[s.WeightLength];
        string name = $"dw {s.Batch}x{s.InChannels}x{s.Height}x{s.Width} k{s.KernelH}d{s.DilationH}";
        Print(name, "relu (floor)", reps, () => ActivationKernel.Relu(x, dx));
        Print(name, "fwd", reps, () => DepthwiseConv2dKernel.Forward(s, x, w, [], y, reluInput: true));
        Print(name, "bwdD", reps, () => DepthwiseConv2dKernel.BackwardData(s, dy, w, dx, false, x));
        Print(name, "bwdW", reps, () => DepthwiseConv2dKernel.BackwardWeight(s, x, dy, dw, [], false, true));
    }

    private static void BatchMinorDepthwise(int reps, BatchMinorDepthwiseShape s)
    {
        var rng = new Random(42);
        float[] x = Fill(rng, (int)s.InputLength), w = Fill(rng, s.WeightLength), dy = Fill(rng, (int)s.OutputLength);
        float[] y = new float[s.OutputLength], dx = new float[s.InputLength], dw = new float[s.WeightLength];
        string name = $"bmdw {s.Channels}x{s.Height}x{s.Width}x{s.Batch} k{s.Kernel}d{s.Dilation}";
        Print(name, "fwd", reps, () => BatchMinorDepthwiseKernel.Forward(s, x, w, y));
        Print(name, "bwdD", reps, () => BatchMinorDepthwiseKernel.BackwardData(s, dy, w, dx, false));
        Print(name, "bwdW", reps, () => BatchMinorDepthwiseKernel.BackwardWeight(s, x, dy, dw, false));
    }

    private static void SharedHeads(int reps, int n, int c, int side)
    {
        Conv2dShape[] shapes = [Dw(n, c, side, 3, 1), Dw(n, c, side, 5, 1), Dw(n, c, side, 3, 2), Dw(n, c, side, 5, 2)];
        var rng = new Random(42);
        float[] x = Fill(rng, shapes[0].InputLength);
        ReadOnlyMemory<float>[] w = [.. shapes.Select(s => (ReadOnlyMemory<float>)Fill(rng, s.WeightLength))];
        Memory<float>[] y = [.. shapes.Select(s => (Memory<float>)new float[s.OutputLength])];
        Print($"dws {n}x{c}x{side}x{side} x4", "fwd", reps,
            () => DepthwiseConv2dKernel.ForwardShared(shapes, x, w, y, reluInput: true));
        // The same four convolutions as separate passes, each in a scratch with its own padding.
        Print($"dws {n}x{c}x{side}x{side} x4", "separate", reps, () =>
        {
            for (int b = 0; b < shapes.Length; b++)
            {
                DepthwiseConv2dKernel.Forward(shapes[b], x, w[b].Span, [], y[b].Span, reluInput: true);
            }
        });
    }

    /// <summary>Runs <paramref name="pass"/> with <see cref="Conv2dKernel"/> kept on its GEMM path.</summary>
    private static void Gemm(Action pass)
    {
        PointwiseConvKernel.t_forceGemm = true;
        try
        {
            pass();
        }
        finally
        {
            PointwiseConvKernel.t_forceGemm = false;
        }
    }

    private static float[] Fill(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return a;
    }

    private static void Print(string name, string what, int reps, Action work)
    {
        work();
        var t = Enumerable.Range(0, reps).Select(_ => StepClock.MeasureMs(work)).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-24} {what,-12} min {t[0],7:F3} med {t[t.Count / 2],7:F3} ms ({StepClock.Name})"));
    }
}

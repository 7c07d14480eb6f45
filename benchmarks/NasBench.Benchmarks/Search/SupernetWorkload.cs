using System.Globalization;
using NasBench.Search.Darts.Search;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Benchmarks.Search;

/// <summary>The supernet of <c>shared/peers/torch_supernet.py</c> (C = 16, 5 cells, stem 1→16, 10 classes, batch 64
/// of 1×28×28) with random batches and the DARTS optimisers, so our step and PyTorch's are the same work.</summary>
public sealed class SupernetWorkload
{
    public const int Batch = 64;

    public SupernetWorkload(int seed = 0)
    {
        var generator = new Generator((ulong)seed);
        // RECOMPUTE=0 keeps every edge's intermediates on the tape (the figures before per-edge recomputation).
        bool recompute = Environment.GetEnvironmentVariable("RECOMPUTE") != "0";
        // KEPT_CELLS=K keeps the last K cells' intermediates (selective recomputation, SupernetConfig.KeptCells).
        int kept = int.Parse(Environment.GetEnvironmentVariable("KEPT_CELLS") ?? "0", CultureInfo.InvariantCulture);
        // BATCH_MINOR=P runs stride-1 edges on maps of at most P pixels batch-minor (0 = every edge NCHW, the figures
        // before the layout; SupernetConfig.BatchMinorMaxPlane).
        int batchMinor = int.Parse(Environment.GetEnvironmentVariable("BATCH_MINOR")
            ?? MixedOp.DefaultBatchMinorMaxPlane.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Network = new DartsSupernet(
            new SupernetConfig(16, 5, 10, StemMultiplier: 1)
            {
                RecomputeEdges = recompute, KeptCells = kept, BatchMinorMaxPlane = batchMinor,
            },
            generator);
        // FUSE=0 runs the candidates' final batch norms as separate layers (before they were folded into the sum).
        bool fuse = Environment.GetEnvironmentVariable("FUSE") != "0";
        // SHARE=0 runs each depthwise candidate's first convolution as its own kernel pass (before heads were shared).
        bool share = Environment.GetEnvironmentVariable("SHARE") != "0";
        foreach (var edge in Network.NamedModules().Select(m => m.Module).OfType<MixedOp>())
        {
            edge.FuseNorms = fuse;
            edge.ShareDepthwiseHeads = share;
        }
        Search = new DartsBlockSearch(Network, new DartsSearchOptions(Epochs: 50));
        X = Tensor.Randn(generator, Batch, 1, 28, 28).DetachFromScope();
        XVal = Tensor.Randn(generator, Batch, 1, 28, 28).DetachFromScope();
        var rng = new Random(seed);
        Y = [.. Enumerable.Range(0, Batch).Select(_ => rng.Next(10))];
        YVal = [.. Enumerable.Range(0, Batch).Select(_ => rng.Next(10))];
    }

    public DartsSupernet Network { get; }

    public DartsBlockSearch Search { get; }

    public Tensor X { get; }

    public Tensor XVal { get; }

    public int[] Y { get; }

    public int[] YVal { get; }

    /// <summary>Forward only, no tape (train-mode BN), like the peer's <c>fwd_only</c>.</summary>
    public void Forward()
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        Network.Forward(X);
    }

    /// <summary>Weight step: forward, cross-entropy, backward, clip, SGD (the peer's <c>w_step</c>).</summary>
    public void WeightStep()
    {
        using var scope = TensorScope.Enter();
        Search.WeightStep(X, Y);
    }

    /// <summary>First-order DARTS step: α step on the validation batch, then the weight step (the peer's
    /// <c>both</c>).</summary>
    public void FirstOrderStep()
    {
        using var scope = TensorScope.Enter();
        Search.Step(X, Y, XVal, YVal, epoch: 0);
    }
}

namespace NasBench.Search.Darts.Supernet;

/// <summary>Shape of a DARTS supernet (darts.md §1.4). Defaults are the reference CIFAR-10 search setting, except the
/// input, which defaults to Fashion-MNIST's 1×28×28.</summary>
/// <param name="InitChannels">C of the first cells (doubles at each reduction).</param>
/// <param name="Layers">Number of cells; reductions at ⌊L/3⌋ and ⌊2L/3⌋.</param>
/// <param name="StemMultiplier">Stem output = StemMultiplier·C (3 in DARTS).</param>
public sealed record SupernetConfig(
    int InitChannels = 16, int Layers = 8, int Classes = 10, int InputChannels = 1, int InputHeight = 28,
    int InputWidth = 28, int Steps = 4, int Multiplier = 4, int StemMultiplier = 3)
{
    /// <summary>Recompute each mixed edge's candidates in backward instead of keeping their intermediates
    /// (<see cref="MixedOp.Recompute"/>): the same loss and gradients up to float summation order, a fraction of the
    /// memory, for about one more forward of the edges per step. On by default.</summary>
    public bool RecomputeEdges { get; init; } = true;

    /// <summary>With <see cref="RecomputeEdges"/>, the last this-many cells keep their edges' intermediates anyway.
    /// </summary>
    /// <remarks>Selective recomputation: the last cells run on the smallest maps, so keeping them costs the least
    /// memory, and their kernels are the least efficient (per-plane set-up dominates at 7×7), so recomputing them
    /// costs the most time per byte saved. On the peer supernet (C = 16, 5 cells, batch 64, 2 threads, paired runs)
    /// the weight step took 3.41–3.46 s at 557 MiB peak RSS recomputing every cell, 3.29 s at 762 MiB keeping the
    /// last cell, and 2.87–3.11 s at 987–1 010 MiB keeping the last two, about what keeping every edge gives (2.94 s)
    /// at 2.6 GiB. With the pre-processing ReLUs fused (their outputs no longer kept), keeping two costs 896 MiB on
    /// that step (5–28 % faster than recomputing all), but a whole search process, which also holds the dataset and
    /// a 3C stem, peaks at 1 000 MiB with it for a step only 4 % faster. 0 (the default) recomputes every cell.
    /// </remarks>
    public int KeptCells { get; init; }

    /// <summary>Stride-1 edges on maps of at most this many pixels run on batch-minor activations
    /// (<see cref="MixedOp.BatchMinorMaxPlane"/>; 0 = never).</summary>
    public int BatchMinorMaxPlane { get; init; } = MixedOp.DefaultBatchMinorMaxPlane;

    /// <summary>Whether cell <paramref name="cell"/>'s edges are recomputed in backward.</summary>
    public bool RecomputesCell(int cell) => RecomputeEdges && cell < Layers - KeptCells;

    public bool IsReduction(int cell) => cell == Layers / 3 || cell == 2 * Layers / 3;

    private static void AtLeast(string name, string meaning, int value, int min)
    {
        if (value < min)
        {
            throw new ArgumentException($"Supernet: {name} ({meaning}) must be at least {min}, got {value}.");
        }
    }

    public void Validate()
    {
        // One message per field, so `--init-channels 0` reads as that and not as a dump of the whole record.
        AtLeast(nameof(InitChannels), "initial channels, --init-channels", InitChannels, 1);
        AtLeast(nameof(Layers), "cells, --layers", Layers, 1);
        AtLeast(nameof(Classes), "classes", Classes, 2);
        AtLeast(nameof(InputChannels), "input channels", InputChannels, 1);
        AtLeast(nameof(InputHeight), "input height", InputHeight, 1);
        AtLeast(nameof(InputWidth), "input width", InputWidth, 1);
        AtLeast(nameof(Steps), "intermediate nodes per cell", Steps, 1);
        AtLeast(nameof(StemMultiplier), "stem multiplier", StemMultiplier, 1);
        if (Multiplier < 1 || Multiplier > Steps)
        {
            throw new ArgumentException(
                $"Supernet: Multiplier (nodes concatenated into a cell's output) must be between 1 and Steps = {Steps}, "
                + $"got {Multiplier}.");
        }
        if (KeptCells < 0 || KeptCells > Layers)
        {
            throw new ArgumentException($"KeptCells must be between 0 and the {Layers} layers, got {KeptCells}.");
        }
        if (InitChannels % 2 != 0)
        {
            throw new ArgumentException($"InitChannels must be even (FactorizedReduce halves it), got {InitChannels}.");
        }
    }
}

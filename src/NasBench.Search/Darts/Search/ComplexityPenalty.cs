using NasBench.Kernels.Cpu;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Search;

/// <summary>The "enhanced gradient" of EG-DARTS's block-level search: <c>g_α = ∇_α L_val + λ·∇_α Ĉ(α)</c>, where Ĉ is
/// the expected cost of the cell under softmax(α) normalised by the most expensive cell (darts.md §2.2).</summary>
/// <remarks>
/// <para><b>What follows the paper and what is ours.</b> The EG-DARTS abstract states only that the block-level
/// search is a gradient-based relaxation whose gradient is "enhanced" to find accurate and low-complexity blocks.
/// The additive form above, the normalisation, and all three guards below are our reconstruction (darts.md §2.2 [I]).
/// </para>
/// <para><b>Guards against collapse to parameter-free operations.</b> Skip, pooling and <c>none</c> cost nothing, so a
/// pure cost gradient drives every edge to them (the DARTS skip-collapse, made worse). We (1) compute Ĉ over the
/// distribution renormalised without <c>none</c> (which derivation never keeps, so paying for it would be a loophole),
/// (2) ramp λ linearly from 0 over a warm-up so the supernet weights first learn which ops are useful, and (3) cap the
/// cost gradient's norm at <see cref="MaxRelativeNorm"/> times the accuracy gradient's norm per cell type, so the cost
/// term can steer among accurate choices but never outvote accuracy on its own.</para>
/// The expected cost and its softmax gradient run on <see cref="LatencyLookupKernel.ExpectedCost"/>, the kernel hot
/// path shared with latency-aware search.
/// </remarks>
public sealed class ComplexityPenalty
{
    private readonly ArchitectureCostTable _table;
    private readonly double _scale;
    private readonly float[] _alpha;
    private readonly float[] _cost;
    private readonly float[] _probabilities;
    private readonly float[] _gradient;

    public ComplexityPenalty(ArchitectureCostTable table, double lambda, int warmupEpochs = 0,
        double maxRelativeNorm = 1.0)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (lambda < 0 || double.IsNaN(lambda) || warmupEpochs < 0 || !(maxRelativeNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda),
                $"λ must be ≥ 0, warm-up ≥ 0 and the norm cap > 0; got λ = {lambda}, warm-up = {warmupEpochs}, "
                + $"cap = {maxRelativeNorm}.");
        }
        _table = table;
        Lambda = lambda;
        WarmupEpochs = warmupEpochs;
        MaxRelativeNorm = maxRelativeNorm;
        _scale = Math.Max(table.MaximumCost(), double.Epsilon);
        int kept = table.Edges * (ArchitectureCostTable.Operations - 1);
        _alpha = new float[kept];
        _cost = new float[kept];
        _probabilities = new float[kept];
        _gradient = new float[kept];
    }

    public double Lambda { get; }

    public int WarmupEpochs { get; }

    public double MaxRelativeNorm { get; }

    /// <summary>λ in effect at <paramref name="epoch"/> (0-based): linear ramp over the warm-up.</summary>
    public double LambdaAt(int epoch) =>
        WarmupEpochs == 0 ? Lambda : Lambda * Math.Min(1.0, (epoch + 1) / (double)(WarmupEpochs + 1));

    /// <summary>Ĉ(α) ∈ [0, 1] for both cell types together, without touching gradients.</summary>
    public double NormalizedCost(Parameter alphaNormal, Parameter alphaReduce) =>
        (Expected(alphaNormal.AsReadOnlySpan(), _table.Normal) + Expected(alphaReduce.AsReadOnlySpan(), _table.Reduce))
        / _scale;

    /// <summary>Adds λ(epoch)·∇Ĉ to the α gradients already holding ∇L_val; returns Ĉ.</summary>
    public double AddGradient(Parameter alphaNormal, Parameter alphaReduce, int epoch)
    {
        double lambda = LambdaAt(epoch);
        double cost = 0;
        foreach (var (alpha, table) in new[] { (alphaNormal, _table.Normal), (alphaReduce, _table.Reduce) })
        {
            cost += Expected(alpha.AsReadOnlySpan(), table);
            if (lambda == 0 || alpha.Grad is null)
            {
                continue;
            }
            var grad = alpha.Grad.AsSpan();
            int ops = ArchitectureCostTable.Operations, kept = ops - 1;
            double costNorm = 0, accuracyNorm = 0;
            for (int i = 0; i < _gradient.Length; i++)
            {
                double g = lambda * _gradient[i] / _scale;
                costNorm += g * g;
            }
            foreach (float g in grad)
            {
                accuracyNorm += (double)g * g;
            }
            double cap = MaxRelativeNorm * Math.Sqrt(accuracyNorm);
            double shrink = costNorm > 0 && Math.Sqrt(costNorm) > cap ? cap / Math.Sqrt(costNorm) : 1.0;
            for (int e = 0; e < _table.Edges; e++)
            {
                for (int o = 1; o < ops; o++)
                {
                    grad[(e * ops) + o] += (float)(shrink * lambda * _gradient[(e * kept) + o - 1] / _scale);
                }
            }
        }
        return cost / _scale;
    }

    /// <summary>Σ_e Σ_{o≠none} p'[e,o]·T[e,o] with p' = softmax over the non-none logits; leaves ∂/∂α in _gradient.
    /// </summary>
    private double Expected(ReadOnlySpan<float> alpha, float[] table)
    {
        int ops = ArchitectureCostTable.Operations, kept = ops - 1;
        for (int e = 0; e < _table.Edges; e++)
        {
            // none is column 0: drop it from both α and T.
            alpha.Slice((e * ops) + 1, kept).CopyTo(_alpha.AsSpan(e * kept, kept));
            table.AsSpan((e * ops) + 1, kept).CopyTo(_cost.AsSpan(e * kept, kept));
        }
        return LatencyLookupKernel.ExpectedCost(_table.Edges, kept, _alpha, _cost, _probabilities, _gradient);
    }
}

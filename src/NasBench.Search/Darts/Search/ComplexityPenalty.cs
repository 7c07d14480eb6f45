using NasBench.Hardware.Cost;
using NasBench.Kernels.Cpu;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Search;

/// <summary>The "enhanced gradient" of EG-DARTS's block-level search: <c>g_α = ∇_α L_val + λ·∇_α Ĉ(α)</c>, where Ĉ is
/// the expected cost of the cell under softmax(α) normalised by the most expensive cell (darts.md §2.2), or, with a
/// <see cref="HardwareLossForm"/>, the gradient of that hardware-aware loss L(CE, LAT) (darts.md §3).</summary>
/// <remarks>
/// <para><b>What follows the paper and what is ours.</b> The EG-DARTS abstract states only that the block-level
/// search is a gradient-based relaxation whose gradient is "enhanced" to find accurate and low-complexity blocks.
/// The additive form above, the normalisation, and all three guards below are our reconstruction (darts.md §2.2 [I]).
/// </para>
/// <para><b>Guards against collapse to parameter-free operations.</b> Skip, pooling and <c>none</c> cost nothing, so a
/// pure cost gradient drives every edge to them (the DARTS skip-collapse, made worse). We (1) compute the cost over the
/// distribution renormalised without <c>none</c> (which derivation never keeps, so paying for it would be a loophole),
/// (2) ramp λ linearly from 0 over a warm-up so the supernet weights first learn which ops are useful (multiplicative
/// forms are off during the warm-up), and (3) cap the cost gradient's norm at <see cref="MaxRelativeNorm"/> times the
/// accuracy gradient's norm per cell type, so the cost term can steer among accurate choices but never outvote
/// accuracy on its own.</para>
/// <para><b>Hardware loss forms.</b> With <see cref="Form"/> set, LAT = fixed cost + expected cost of the searchable
/// edges in the table's unit, and <c>∂L/∂α = ∂L/∂CE·∇_α CE + ∂L/∂LAT·∇_α LAT</c>: the accuracy gradient already in
/// α.Grad is scaled by ∂L/∂CE and the latency gradient by ∂L/∂LAT (then capped as above). The additive form
/// <c>CE + λ·LAT</c> is LA-DARTS's, <c>CE·α·(log LAT)^β</c> FBNet's, <c>mul#log</c>/<c>add#linear</c> ProxylessNAS's.</para>
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
    private readonly float[] _gradientNormal;
    private readonly float[] _gradientReduce;

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
        _gradientNormal = new float[kept];
        _gradientReduce = new float[kept];
    }

    public double Lambda { get; }

    public int WarmupEpochs { get; }

    public double MaxRelativeNorm { get; }

    /// <summary>A hardware-aware loss form over (CE, LAT); null for the normalised additive EG-DARTS term.</summary>
    public HardwareLossForm? Form { get; init; }

    /// <summary>Cost of the parts of the network that do not depend on α (stem, pre-processing, classifier), added to
    /// the expected cost to give LAT for <see cref="Form"/>.</summary>
    public double FixedCost { get; init; }

    /// <summary>λ in effect at <paramref name="epoch"/> (0-based): linear ramp over the warm-up.</summary>
    public double LambdaAt(int epoch) =>
        WarmupEpochs == 0 ? Lambda : Lambda * Math.Min(1.0, (epoch + 1) / (double)(WarmupEpochs + 1));

    /// <summary>Ĉ(α) ∈ [0, 1] for both cell types together, without touching gradients.</summary>
    public double NormalizedCost(Parameter alphaNormal, Parameter alphaReduce) =>
        ExpectedCost(alphaNormal, alphaReduce) / _scale;

    /// <summary>Expected cost of the searchable edges under the non-<c>none</c> softmax of α, in the table's unit.</summary>
    public double ExpectedCost(Parameter alphaNormal, Parameter alphaReduce)
    {
        ArgumentNullException.ThrowIfNull(alphaNormal);
        ArgumentNullException.ThrowIfNull(alphaReduce);
        return Expected(alphaNormal.AsReadOnlySpan(), _table.Normal, _gradientNormal)
            + Expected(alphaReduce.AsReadOnlySpan(), _table.Reduce, _gradientReduce);
    }

    /// <summary>Adds the cost term's gradient to α gradients that hold ∇_α CE of the validation batch; returns Ĉ.
    /// </summary>
    /// <param name="crossEntropy">The validation loss CE the α gradients came from (used by <see cref="Form"/>).</param>
    public double AddGradient(Parameter alphaNormal, Parameter alphaReduce, int epoch, double crossEntropy = double.NaN)
    {
        double expected = ExpectedCost(alphaNormal, alphaReduce);
        double costScale, accuracyScale;
        if (Form is null)
        {
            accuracyScale = 1;
            costScale = LambdaAt(epoch) / _scale;
        }
        else if (epoch < WarmupEpochs)
        {
            (accuracyScale, costScale) = (1, 0);
        }
        else
        {
            var value = Form.Evaluate(crossEntropy, FixedCost + expected);
            (accuracyScale, costScale) = (value.DCrossEntropy, value.DLatency);
        }
        if (costScale != 0 || accuracyScale != 1)
        {
            Apply(alphaNormal, _gradientNormal, accuracyScale, costScale);
            Apply(alphaReduce, _gradientReduce, accuracyScale, costScale);
        }
        return expected / _scale;
    }

    private void Apply(Parameter alpha, float[] costGradient, double accuracyScale, double costScale)
    {
        if (alpha.Grad is null)
        {
            return;
        }
        var grad = alpha.Grad.AsSpan();
        int ops = ArchitectureCostTable.Operations, kept = ops - 1;
        double costNorm = 0, accuracyNorm = 0;
        foreach (float g in costGradient)
        {
            costNorm += costScale * g * costScale * g;
        }
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] = (float)(grad[i] * accuracyScale);
            accuracyNorm += (double)grad[i] * grad[i];
        }
        double cap = MaxRelativeNorm * Math.Sqrt(accuracyNorm);
        double shrink = costNorm > 0 && Math.Sqrt(costNorm) > cap ? cap / Math.Sqrt(costNorm) : 1.0;
        for (int e = 0; e < _table.Edges; e++)
        {
            for (int o = 1; o < ops; o++)
            {
                grad[(e * ops) + o] += (float)(shrink * costScale * costGradient[(e * kept) + o - 1]);
            }
        }
    }

    /// <summary>Σ_e Σ_{o≠none} p'[e,o]·T[e,o] with p' = softmax over the non-none logits; leaves ∂/∂α in
    /// <paramref name="gradient"/>.</summary>
    private double Expected(ReadOnlySpan<float> alpha, float[] table, float[] gradient)
    {
        int ops = ArchitectureCostTable.Operations, kept = ops - 1;
        for (int e = 0; e < _table.Edges; e++)
        {
            // none is column 0: drop it from both α and T.
            alpha.Slice((e * ops) + 1, kept).CopyTo(_alpha.AsSpan(e * kept, kept));
            table.AsSpan((e * ops) + 1, kept).CopyTo(_cost.AsSpan(e * kept, kept));
        }
        return LatencyLookupKernel.ExpectedCost(_table.Edges, kept, _alpha, _cost, _probabilities, gradient);
    }
}

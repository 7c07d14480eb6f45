using NasBench.Kernels.Cpu;

namespace NasBench.Hardware.Estimation;

/// <summary>The differentiable latency of a supernet (ProxylessNAS's expected latency, darts.md §3.3):
/// E[LAT](α) = LAT_fixed + Σ_types Σ_e Σ_o softmax(α_type,e)_o · T_type[e, o], with its gradient through the softmax,
/// computed by the latency-lookup kernel.</summary>
/// <remarks>
/// One α matrix per cell type (DARTS: normal and reduce), [edges, ops] row-major, shared by every cell of that type;
/// so T_type[e, o] is the latency of op o on edge e summed over all cells of that type (each at its own C, H, W,
/// stride). LAT_fixed covers what α does not choose (stem, pre-processing, node sums, concat, classifier).
/// ∂E/∂α[e, o] = p[e, o]·(T[e, o] − Σ_o' p[e, o']·T[e, o']).
/// </remarks>
public sealed class ExpectedLatency
{
    private readonly float[][] _tables;
    private readonly float[] _probabilities;

    /// <param name="tables">Per cell type, [edges·ops] latencies (ms).</param>
    /// <param name="fixedMs">Latency of the parts α does not choose (ms).</param>
    public ExpectedLatency(int edges, int ops, IReadOnlyList<float[]> tables, double fixedMs)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentOutOfRangeException.ThrowIfLessThan(edges, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ops, 1);
        for (int t = 0; t < tables.Count; t++)
        {
            if (tables[t].Length != edges * ops)
            {
                throw new ArgumentException(
                    $"Latency table {t} has {tables[t].Length} entries; expected edges·ops = {edges * ops}.",
                    nameof(tables));
            }
        }
        Edges = edges;
        Ops = ops;
        _tables = [.. tables.Select(t => (float[])t.Clone())];
        _probabilities = new float[edges * ops];
        FixedMs = fixedMs;
    }

    public int Edges { get; }

    public int Ops { get; }

    public int CellTypes => _tables.Length;

    public double FixedMs { get; }

    /// <summary>T for cell type <paramref name="type"/>, [edges·ops].</summary>
    public ReadOnlySpan<float> Table(int type) => _tables[type];

    /// <summary>E[LAT] at <paramref name="alphas"/> (one [edges·ops] span per cell type), writing ∂E/∂α into
    /// <paramref name="gradients"/> (overwritten; same layout).</summary>
    public double Evaluate(IReadOnlyList<float[]> alphas, IReadOnlyList<float[]> gradients)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        ArgumentNullException.ThrowIfNull(gradients);
        if (alphas.Count != _tables.Length || gradients.Count != _tables.Length)
        {
            throw new ArgumentException(
                $"Expected {_tables.Length} α and gradient arrays (one per cell type); got {alphas.Count} and "
                + $"{gradients.Count}.");
        }
        double total = FixedMs;
        for (int t = 0; t < _tables.Length; t++)
        {
            total += LatencyLookupKernel.ExpectedCost(Edges, Ops, alphas[t], _tables[t], _probabilities, gradients[t]);
        }
        return total;
    }

    /// <summary>E[LAT] only.</summary>
    public double Evaluate(IReadOnlyList<float[]> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        var scratch = alphas.Select(a => new float[a.Length]).ToArray();
        return Evaluate(alphas, scratch);
    }
}

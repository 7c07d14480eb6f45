using NasBench.Hardware.Cost;
using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Splitting;

/// <summary>Turns splitting indices into an energy-aware plan (splitting.md §4): candidates with gain in units of
/// ε²/2 and cost from a cost model, the exact knapsack of <see cref="EnergyAwareSelector"/>, and split actions.
/// </summary>
/// <remarks>
/// <para>Cost of a neuron of unit ℓ = the secant [cost(network with ℓ Δ channels wider) − cost(network)] / Δ over
/// Δ = ℓ's width (the most a unit may grow in one step): its own filter plus the consumers' extra input (and the
/// depthwise filter between, for MobileNet), for any <see cref="ICostModel"/> (MACs by default). MACs and modelled
/// energy are linear in one unit's width, so the secant is exactly the one-channel difference there; a measured
/// latency is not (vector widths, cache steps) and is noisy, and a one-channel difference of two noisy medians is
/// mostly noise, so the secant over the reachable range is the meaningful slope. A signed scheme adding k neurons
/// costs k times that.</para>
/// <para>The knapsack costs are marginal at the current widths; splitting two adjacent units together adds a cross
/// term (both widths of the conv between them grow). So after selection the plan's true cost is recomputed and,
/// while it exceeds the budget, the chosen split with the lowest gain per cost is dropped: the returned plan never
/// exceeds the budget on the real network. The number to drop is found by bisection (the same plan as dropping one at
/// a time when the cost grows with every added neuron, in O(log n) cost evaluations; a measured-latency model may
/// time new configurations at each).</para>
/// <para>Per-unit cap: a unit may at most double per step (the released code's rule, pitfall P6).</para>
/// </remarks>
public static class SplitPlanner
{
    /// <summary>Candidates for every neuron: Positive when λ_min &lt; 0; with <paramref name="signed"/> also Negative
    /// when λ_max &gt; 0 and Combined when both hold.</summary>
    public static IReadOnlyList<SplitCandidate> Candidates(GrowableNetwork network,
        IReadOnlyList<LayerSplitIndices> indices, ICostModel costModel, bool signed, double negativeMass)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(costModel);
        var list = new List<SplitCandidate>();
        double baseCost = network.Cost(costModel);
        var widths = network.Widths();
        double a = negativeMass;
        foreach (var layer in indices)
        {
            int step = Math.Max(1, layer.Width);
            widths[layer.UnitIndex] += step;
            double unitCost = Math.Max(0, network.Cost(costModel, widths) - baseCost) / step;
            widths[layer.UnitIndex] -= step;
            for (int j = 0; j < layer.Width; j++)
            {
                int id = NeuronId(layer.UnitIndex, j);
                double lmin = layer.LambdaMin[j];
                if (lmin < 0)
                {
                    list.Add(new(id, layer.UnitIndex, SplitScheme.Positive, -lmin, unitCost, 1));
                }
                if (signed && layer.LambdaMax is { } lmaxs && lmaxs[j] > 0)
                {
                    list.Add(new(id, layer.UnitIndex, SplitScheme.Negative, a * lmaxs[j], 2 * unitCost, 2));
                    if (lmin < 0)
                    {
                        list.Add(new(id, layer.UnitIndex, SplitScheme.Combined, ((1 + a) * -lmin) + (a * lmaxs[j]),
                            3 * unitCost, 3));
                    }
                }
            }
        }
        return list;
    }

    private static readonly MacCostModel MacModel = new(GrowableOperationAnalyzer.Instance);

    /// <summary>Selects under <paramref name="budget"/> (same unit as the cost model) and returns the actions.
    /// </summary>
    /// <param name="maxAddedMacs">A second limit on the real network: the plan adds at most this many MACs (the
    /// growth run's MAC schedule when the selection cost is energy or latency, which can otherwise buy many MACs
    /// cheaply). Enforced in the drop step only; the knapsack ranks by the cost model alone.</param>
    public static IReadOnlyList<SplitAction> Plan(GrowableNetwork network, IReadOnlyList<LayerSplitIndices> indices,
        ICostModel costModel, double budget, bool signed, double negativeMass, out SplitSelection selection,
        double maxAddedMacs = double.PositiveInfinity)
    {
        var candidates = Candidates(network, indices, costModel, signed, negativeMass);
        var caps = indices.ToDictionary(l => l.UnitIndex, l => l.Width);
        selection = EnergyAwareSelector.Select(candidates, budget, caps);
        var chosen = selection.Chosen.ToList();
        double baseCost = network.Cost(costModel), baseMacs = network.Cost(MacModel);
        bool Fits(IEnumerable<SplitCandidate> plan) => TrueCost(network, costModel, plan) - baseCost <= budget
            && (double.IsPositiveInfinity(maxAddedMacs)
                || TrueCost(network, MacModel, plan) - baseMacs <= maxAddedMacs);
        if (chosen.Count > 0 && !Fits(chosen))
        {
            // Drop order: lowest gain per cost first; OrderBy is stable, so this is the order in which dropping the
            // current worst one at a time would remove them. Dropping all is feasible (adds nothing).
            var order = chosen.OrderBy(c => c.Cost == 0 ? double.PositiveInfinity : c.Gain / c.Cost).ToList();
            int lo = 1, hi = order.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (Fits(order.Skip(mid)))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            var dropped = order.Take(hi).ToHashSet(ReferenceEqualityComparer.Instance);
            chosen = [.. chosen.Where(c => !dropped.Contains(c))];
        }
        if (chosen.Count != selection.Chosen.Count)
        {
            selection = new SplitSelection(chosen, chosen.Sum(c => c.Gain), chosen.Sum(c => c.Cost),
                ProvenOptimal: false);
        }
        var byUnit = indices.ToDictionary(l => l.UnitIndex);
        return [.. chosen.Select(c =>
        {
            var layer = byUnit[c.Layer];
            int j = c.Neuron % NeuronsPerUnit;
            return new SplitAction(c.Layer, j, c.Scheme,
                c.Scheme == SplitScheme.Negative ? null : layer.MinVector(j),
                c.Scheme == SplitScheme.Positive ? null : layer.MaxVector(j));
        })];
    }

    /// <summary>Network cost once the chosen candidates' neurons are added.</summary>
    public static double TrueCost(GrowableNetwork network, ICostModel costModel,
        IEnumerable<SplitCandidate> chosen)
    {
        var widths = network.Widths();
        foreach (var c in chosen)
        {
            widths[c.Layer] += c.NewNeurons;
        }
        return network.Cost(costModel, widths);
    }

    private const int NeuronsPerUnit = 1 << 20;

    private static int NeuronId(int unit, int neuron) => (unit * NeuronsPerUnit) + neuron;
}

using NasBench.Hardware.Cost;
using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Splitting;

/// <summary>Turns splitting indices into an energy-aware plan (splitting.md §4): candidates with gain in units of
/// ε²/2 and cost from a cost model, the exact knapsack of <see cref="EnergyAwareSelector"/>, and split actions.
/// </summary>
/// <remarks>
/// <para>Cost of a neuron of unit ℓ = cost(network with ℓ one channel wider) − cost(network): its own filter plus
/// the consumers' extra input (and the depthwise filter between, for MobileNet), for any <see cref="ICostModel"/>
/// (MACs by default). A signed scheme adding k neurons costs k times that (MACs are linear in one unit's width).</para>
/// <para>The knapsack costs are marginal at the current widths; splitting two adjacent units together adds a cross
/// term (both widths of the conv between them grow). So after selection the plan's true cost is recomputed and,
/// while it exceeds the budget, the chosen split with the lowest gain per cost is dropped: the returned plan never
/// exceeds the budget on the real network.</para>
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
            widths[layer.UnitIndex]++;
            double unitCost = Math.Max(0, network.Cost(costModel, widths) - baseCost);
            widths[layer.UnitIndex]--;
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

    /// <summary>Selects under <paramref name="budget"/> (same unit as the cost model) and returns the actions.
    /// </summary>
    public static IReadOnlyList<SplitAction> Plan(GrowableNetwork network, IReadOnlyList<LayerSplitIndices> indices,
        ICostModel costModel, double budget, bool signed, double negativeMass, out SplitSelection selection)
    {
        var candidates = Candidates(network, indices, costModel, signed, negativeMass);
        var caps = indices.ToDictionary(l => l.UnitIndex, l => l.Width);
        selection = EnergyAwareSelector.Select(candidates, budget, caps);
        var chosen = selection.Chosen.ToList();
        double baseCost = network.Cost(costModel);
        while (chosen.Count > 0 && TrueCost(network, costModel, chosen) - baseCost > budget)
        {
            var worst = chosen.OrderBy(c => c.Cost == 0 ? double.PositiveInfinity : c.Gain / c.Cost).First();
            chosen.Remove(worst);
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

namespace NasBench.Search.Splitting;

/// <summary>Chooses which neurons to split under an energy budget (splitting.md §4).</summary>
/// <remarks>
/// The problem is the 0/1 knapsack of §4.1, maximise Σ gain subject to Σ cost ≤ budget, with two side constraints:
/// at most one scheme per neuron (signed splitting offers several, a multiple-choice knapsack) and an optional cap on
/// the neurons added per layer (the released code lets a layer at most double per step).
/// <para>
/// We solve it exactly by depth-first branch and bound over candidates sorted by gain per unit cost. The bound at a
/// node is the fractional-knapsack (LP relaxation) value of the remaining budget over the remaining candidates, which
/// ignores the side constraints and therefore never underestimates. That LP is what the authors' code solves with
/// scipy's <c>linprog</c> before rounding; our greedy fill of the sorted list is the LP optimum for one budget
/// constraint and gives the first incumbent. Instances with hundreds of candidates finish well inside the node limit;
/// if the limit is hit the best solution found so far is returned with <see cref="SplitSelection.ProvenOptimal"/>
/// false.
/// </para>
/// Candidates with no positive gain are never chosen (this enforces the S2D rule λ_min &lt; 0, pitfall P8).
/// </remarks>
public static class EnergyAwareSelector
{
    public static SplitSelection Select(IReadOnlyList<SplitCandidate> candidates, double budget,
        IReadOnlyDictionary<int, int>? layerCaps = null, long nodeLimit = 5_000_000)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (double.IsNaN(budget) || budget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The budget must be a non-negative number.");
        }
        foreach (var c in candidates)
        {
            if (!(c.Cost >= 0) || double.IsInfinity(c.Cost) || double.IsNaN(c.Gain) || c.NewNeurons <= 0)
            {
                throw new ArgumentException(
                    $"Candidate for neuron {c.Neuron} (layer {c.Layer}) needs a finite cost ≥ 0, a gain and ≥ 1 new "
                    + $"neuron; got cost {c.Cost}, gain {c.Gain}, new neurons {c.NewNeurons}.", nameof(candidates));
            }
        }
        var items = candidates.Where(c => c.Gain > 0).OrderByDescending(Ratio).ThenBy(c => c.Neuron).ToArray();
        var search = new Search(items, budget, layerCaps, nodeLimit);
        search.Run();
        var chosen = search.Best.Select(i => items[i]).ToList();
        return new SplitSelection(chosen, chosen.Sum(c => c.Gain), chosen.Sum(c => c.Cost), !search.HitLimit);
    }

    private static double Ratio(SplitCandidate c) => c.Cost == 0 ? double.PositiveInfinity : c.Gain / c.Cost;

    private sealed class Search(SplitCandidate[] items, double budget, IReadOnlyDictionary<int, int>? caps, long limit)
    {
        private readonly HashSet<int> _usedNeurons = [];
        private readonly Dictionary<int, int> _added = [];
        private readonly List<int> _current = [];
        private double _bestGain = -1;
        private long _nodes;

        public List<int> Best { get; private set; } = [];

        public bool HitLimit { get; private set; }

        public void Run() => Visit(0, budget, 0);

        private void Visit(int index, double remaining, double gain)
        {
            if (gain > _bestGain)
            {
                _bestGain = gain;
                Best = [.. _current];
            }
            if (index == items.Length || ++_nodes > limit)
            {
                HitLimit |= _nodes > limit;
                return;
            }
            if (gain + FractionalBound(index, remaining) <= _bestGain + 1e-12)
            {
                return;
            }
            var c = items[index];
            // Exact comparison with a relative slack so floating-point sums of costs do not reject the budget's edge.
            if (c.Cost <= remaining + (1e-12 * Math.Max(1, budget)) && Fits(c))
            {
                Take(c, index);
                Visit(index + 1, remaining - c.Cost, gain + c.Gain);
                Undo(c);
            }
            Visit(index + 1, remaining, gain);
        }

        private double FractionalBound(int index, double remaining)
        {
            double bound = 0;
            for (int i = index; i < items.Length && remaining > 0; i++)
            {
                var c = items[i];
                if (c.Cost <= remaining)
                {
                    bound += c.Gain;
                    remaining -= c.Cost;
                }
                else
                {
                    bound += c.Gain * remaining / c.Cost;
                    remaining = 0;
                }
            }
            return bound;
        }

        private bool Fits(SplitCandidate c) =>
            !_usedNeurons.Contains(c.Neuron)
            && (caps is null || !caps.TryGetValue(c.Layer, out int cap)
                || _added.GetValueOrDefault(c.Layer) + c.NewNeurons <= cap);

        private void Take(SplitCandidate c, int index)
        {
            _usedNeurons.Add(c.Neuron);
            _added[c.Layer] = _added.GetValueOrDefault(c.Layer) + c.NewNeurons;
            _current.Add(index);
        }

        private void Undo(SplitCandidate c)
        {
            _usedNeurons.Remove(c.Neuron);
            _added[c.Layer] -= c.NewNeurons;
            _current.RemoveAt(_current.Count - 1);
        }
    }
}

namespace NasBench.Kernels.Reference;

/// <summary>Latency-table oracle (DESIGN.md §2.3, darts.md §3): expected cost under the per-edge softmax with its
/// gradient, and the discrete per-architecture sum for a whole population.</summary>
/// <remarks>Shapes: <c>alpha</c>, <c>table</c>, <c>probabilities</c>, <c>dAlpha</c> are [edges, ops] row-major;
/// <c>entryIndex</c> is [population, slots], <c>totals</c> is [population]; longer spans are allowed and their tails
/// ignored.</remarks>
public static class LatencyLookupReference
{
    /// <summary>C = Σ_e Σ_o softmax(α_e)_o·L[e,o] in double; writes p and dC/dα[e,o] = p[e,o]·(L[e,o] − Σ_o'
    /// p[e,o']·L[e,o']) (overwritten).</summary>
    /// <exception cref="ArgumentException">A table entry is NaN or infinite (the message names e and o), or a span is
    /// shorter than edges·ops.</exception>
    public static float ExpectedCost(int edges, int ops, ReadOnlySpan<float> alpha, ReadOnlySpan<float> table,
        Span<float> probabilities, Span<float> dAlpha)
    {
        LatencyLookupValidation.ExpectedCost(edges, ops, alpha.Length, table, probabilities.Length, dAlpha.Length);
        double total = 0;
        Span<double> p = ops <= 1024 ? stackalloc double[ops] : new double[ops];
        for (int e = 0; e < edges; e++)
        {
            var a = alpha.Slice(e * ops, ops);
            var l = table.Slice(e * ops, ops);
            double max = double.NegativeInfinity;
            foreach (float x in a)
            {
                max = Math.Max(max, x);
            }
            double sum = 0;
            for (int o = 0; o < ops; o++)
            {
                p[o] = Math.Exp(a[o] - max);
                sum += p[o];
            }
            double edgeCost = 0;
            for (int o = 0; o < ops; o++)
            {
                p[o] /= sum;
                edgeCost += p[o] * l[o];
            }
            for (int o = 0; o < ops; o++)
            {
                probabilities[(e * ops) + o] = (float)p[o];
                dAlpha[(e * ops) + o] = (float)(p[o] * (l[o] - edgeCost));
            }
            total += edgeCost;
        }
        return (float)total;
    }

    /// <summary>totals[p] = Σ_s entryCost[entryIndex[p·slots + s]], summed in float in slot order (this order defines
    /// the exact result the fast kernel reproduces bit for bit).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside entryCost (the message names p and s).
    /// </exception>
    public static void BatchLookup(int population, int slots, ReadOnlySpan<int> entryIndex,
        ReadOnlySpan<float> entryCost, Span<float> totals)
    {
        LatencyLookupValidation.BatchLookup(population, slots, entryIndex.Length, totals.Length);
        for (int p = 0; p < population; p++)
        {
            float sum = 0;
            for (int s = 0; s < slots; s++)
            {
                int index = entryIndex[(p * slots) + s];
                if ((uint)index >= (uint)entryCost.Length)
                {
                    throw LatencyLookupValidation.IndexOutOfRange(p, s, index, entryCost.Length,
                        nameof(entryIndex));
                }
                sum += entryCost[index];
            }
            totals[p] = sum;
        }
    }
}

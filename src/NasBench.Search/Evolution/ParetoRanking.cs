namespace NasBench.Search.Evolution;

/// <summary>Fast non-dominated sorting and crowding distance (Deb et al. 2002; darts.md §6.1). Minimisation.</summary>
public static class ParetoRanking
{
    /// <summary>a ≺ b: no worse in every objective and better in at least one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        bool strictly = false;
        for (int m = 0; m < a.Count; m++)
        {
            if (a[m] > b[m])
            {
                return false;
            }
            strictly |= a[m] < b[m];
        }
        return strictly;
    }

    /// <summary>Splits a population into fronts (indices), setting each individual's <c>Rank</c>.</summary>
    public static List<List<int>> NonDominatedSort<T>(IReadOnlyList<Individual<T>> population)
    {
        int n = population.Count;
        var dominated = new List<int>[n];
        var dominatorCount = new int[n];
        var fronts = new List<List<int>> { new() };
        for (int p = 0; p < n; p++)
        {
            dominated[p] = [];
            for (int q = 0; q < n; q++)
            {
                if (Dominates(population[p].Objectives, population[q].Objectives))
                {
                    dominated[p].Add(q);
                }
                else if (Dominates(population[q].Objectives, population[p].Objectives))
                {
                    dominatorCount[p]++;
                }
            }
            if (dominatorCount[p] == 0)
            {
                population[p].Rank = 0;
                fronts[0].Add(p);
            }
        }
        for (int i = 0; fronts[i].Count > 0; i++)
        {
            var next = new List<int>();
            foreach (int p in fronts[i])
            {
                foreach (int q in dominated[p])
                {
                    if (--dominatorCount[q] == 0)
                    {
                        population[q].Rank = i + 1;
                        next.Add(q);
                    }
                }
            }
            fronts.Add(next);
        }
        fronts.RemoveAt(fronts.Count - 1);
        return fronts;
    }

    /// <summary>Sets the crowding distance of each member of one front: boundary points get +∞, interior points the
    /// normalised side length of the cuboid spanned by their neighbours, summed over objectives.</summary>
    public static void AssignCrowding<T>(IReadOnlyList<Individual<T>> population, IReadOnlyList<int> front)
    {
        foreach (int i in front)
        {
            population[i].Crowding = 0;
        }
        if (front.Count == 0)
        {
            return;
        }
        int objectives = population[front[0]].Objectives.Count;
        for (int m = 0; m < objectives; m++)
        {
            var sorted = front.OrderBy(i => population[i].Objectives[m]).ThenBy(i => i).ToArray();
            double min = population[sorted[0]].Objectives[m], max = population[sorted[^1]].Objectives[m];
            population[sorted[0]].Crowding = double.PositiveInfinity;
            population[sorted[^1]].Crowding = double.PositiveInfinity;
            if (max - min <= 0)
            {
                continue;
            }
            for (int k = 1; k < sorted.Length - 1; k++)
            {
                population[sorted[k]].Crowding +=
                    (population[sorted[k + 1]].Objectives[m] - population[sorted[k - 1]].Objectives[m]) / (max - min);
            }
        }
    }

    /// <summary>Crowded comparison: lower rank wins, then larger crowding distance.</summary>
    public static bool Better<T>(Individual<T> a, Individual<T> b) =>
        a.Rank < b.Rank || (a.Rank == b.Rank && a.Crowding > b.Crowding);
}

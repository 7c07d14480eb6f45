namespace NasBench.Search.Evolution;

/// <summary>NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002): (μ+λ) elitism with non-dominated sorting and crowding
/// (darts.md §6.1). Deterministic for a given seed.</summary>
public sealed class Nsga2<TGenome>
{
    private readonly IMultiObjectiveProblem<TGenome> _problem;
    private readonly Random _random;

    public Nsga2(IMultiObjectiveProblem<TGenome> problem, int populationSize, int seed)
    {
        if (populationSize < 2 || populationSize % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(populationSize), populationSize,
                "NSGA-II needs an even population size of at least 2.");
        }
        _problem = problem;
        PopulationSize = populationSize;
        _random = new Random(seed);
    }

    public int PopulationSize { get; }

    public List<Individual<TGenome>> Population { get; private set; } = [];

    public int Generation { get; private set; }

    /// <summary>Evaluations so far (initial population included).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Samples and scores the initial population.</summary>
    public void Initialize()
    {
        Population = [.. Enumerable.Range(0, PopulationSize).Select(_ => Score(_problem.Sample(_random)))];
        RankAndCrowd(Population);
        Generation = 1;
    }

    /// <summary>One generation: tournaments, variation, then survival of the best N of parents ∪ offspring.</summary>
    public void Step()
    {
        if (Population.Count == 0)
        {
            Initialize();
            return;
        }
        var offspring = new List<Individual<TGenome>>(PopulationSize);
        while (offspring.Count < PopulationSize)
        {
            var (a, b) = _problem.Crossover(Tournament().Genome, Tournament().Genome, _random);
            offspring.Add(Score(_problem.Mutate(a, _random)));
            offspring.Add(Score(_problem.Mutate(b, _random)));
        }
        var merged = Population.Concat(offspring).ToList();
        var fronts = ParetoRanking.NonDominatedSort(merged);
        var next = new List<Individual<TGenome>>(PopulationSize);
        foreach (var front in fronts)
        {
            ParetoRanking.AssignCrowding(merged, front);
            if (next.Count + front.Count <= PopulationSize)
            {
                next.AddRange(front.Select(i => merged[i]));
                continue;
            }
            next.AddRange(front.Select(i => merged[i]).OrderByDescending(x => x.Crowding)
                .Take(PopulationSize - next.Count));
            break;
        }
        RankAndCrowd(next);
        Population = next;
        Generation++;
    }

    public void Run(int generations, Action<Nsga2<TGenome>>? afterGeneration = null)
    {
        while (Generation < generations)
        {
            Step();
            afterGeneration?.Invoke(this);
        }
    }

    /// <summary>The current first front.</summary>
    public IReadOnlyList<Individual<TGenome>> ParetoFront() => [.. Population.Where(i => i.Rank == 0)];

    private Individual<TGenome> Score(TGenome genome)
    {
        var objectives = _problem.Evaluate(genome);
        if (objectives.Length != _problem.ObjectiveCount)
        {
            throw new InvalidOperationException(
                $"Evaluate returned {objectives.Length} objectives; the problem declares {_problem.ObjectiveCount}.");
        }
        Evaluations++;
        return new Individual<TGenome>(genome, objectives);
    }

    private Individual<TGenome> Tournament()
    {
        var a = Population[_random.Next(Population.Count)];
        var b = Population[_random.Next(Population.Count)];
        return ParetoRanking.Better(a, b) ? a : b;
    }

    private static void RankAndCrowd(List<Individual<TGenome>> population)
    {
        foreach (var front in ParetoRanking.NonDominatedSort(population))
        {
            ParetoRanking.AssignCrowding(population, front);
        }
    }
}

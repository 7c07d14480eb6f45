using NasBench.Search.Evolution;

namespace NasBench.Search.Tests.Evolution;

public class Nsga2Tests
{
    /// <summary>ZDT1 (n = 30): the Pareto front is f2 = 1 − √f1 for f1 ∈ [0, 1], reached when x2..xn = 0.</summary>
    private sealed class Zdt1 : IMultiObjectiveProblem<double[]>
    {
        private const int N = 30;

        public int ObjectiveCount => 2;

        public double[] Sample(Random random) => [.. Enumerable.Range(0, N).Select(_ => random.NextDouble())];

        public (double[] First, double[] Second) Crossover(double[] a, double[] b, Random random) =>
            random.NextDouble() < 0.9 ? RealValuedOperators.SimulatedBinaryCrossover(a, b, 0, 1, 15, random) : (a, b);

        public double[] Mutate(double[] genome, Random random) =>
            RealValuedOperators.PolynomialMutation(genome, 0, 1, 20, 1.0 / N, random);

        public double[] Evaluate(double[] x)
        {
            double g = 1 + (9 * x.Skip(1).Sum() / (N - 1));
            return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
        }
    }

    private static double InvertedGenerationalDistance(IEnumerable<IReadOnlyList<double>> front)
    {
        var points = front.ToList();
        var reference = Enumerable.Range(0, 500).Select(i => i / 499.0).Select(f1 => (f1, f2: 1 - Math.Sqrt(f1)));
        return reference.Average(r => points.Min(p => Math.Sqrt(Math.Pow(p[0] - r.f1, 2) + Math.Pow(p[1] - r.f2, 2))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Converges_to_the_ZDT1_front(int seed)
    {
        var nsga = new Nsga2<double[]>(new Zdt1(), 100, seed);
        nsga.Initialize();
        double initial = InvertedGenerationalDistance(nsga.ParetoFront().Select(i => i.Objectives));
        nsga.Run(150);
        double final = InvertedGenerationalDistance(nsga.ParetoFront().Select(i => i.Objectives));
        Assert.True(final < 0.02, $"IGD after 150 generations {final:F4} (initial {initial:F4})");
        Assert.Equal(15_000, nsga.Evaluations);
    }

    [Fact]
    public void Same_seed_gives_the_same_population()
    {
        string Run()
        {
            var nsga = new Nsga2<double[]>(new Zdt1(), 20, 9);
            nsga.Run(10);
            return string.Join(";", nsga.Population.Select(i => $"{i.Objectives[0]:R},{i.Objectives[1]:R}"));
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Sorting_and_crowding_match_a_hand_worked_example()
    {
        double[][] points = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 2]];
        var pop = points.Select(p => new Individual<int>(0, p)).ToList();
        var fronts = ParetoRanking.NonDominatedSort(pop);
        // [2,2] dominates [2,3] and [3,4]; front 0 = {[1,5], [4,1], [2,2]}.
        Assert.Equal([0, 2, 5], fronts[0].Order());
        Assert.Equal([1], fronts[1]);
        Assert.Equal([3], fronts[2]);
        Assert.Equal([4], fronts[3]);
        ParetoRanking.AssignCrowding(pop, fronts[0]);
        Assert.True(double.IsPositiveInfinity(pop[0].Crowding));
        Assert.True(double.IsPositiveInfinity(pop[2].Crowding));
        // [2,2]: f1 neighbours 1 and 4 over range 3 → 1; f2 neighbours 1 and 5 over range 4 → 1.
        Assert.Equal(2.0, pop[5].Crowding, 12);
    }

    [Fact]
    public void Odd_population_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga2<double[]>(new Zdt1(), 7, 0));
    }
}

namespace NasBench.Search.Evolution;

/// <summary>What NSGA-II needs to know of a problem: how to make, vary and score a genome. All objectives are
/// minimised (negate an accuracy).</summary>
public interface IMultiObjectiveProblem<TGenome>
{
    int ObjectiveCount { get; }

    TGenome Sample(Random random);

    /// <summary>Two children from two parents (return copies when no crossover should happen).</summary>
    (TGenome First, TGenome Second) Crossover(TGenome a, TGenome b, Random random);

    TGenome Mutate(TGenome genome, Random random);

    /// <summary>Objective values, length <see cref="ObjectiveCount"/>.</summary>
    double[] Evaluate(TGenome genome);
}

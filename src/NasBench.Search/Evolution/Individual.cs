namespace NasBench.Search.Evolution;

/// <summary>A scored genome with its non-domination rank (0 = first front) and crowding distance.</summary>
public sealed class Individual<TGenome>(TGenome genome, double[] objectives)
{
    public TGenome Genome { get; } = genome;
    public IReadOnlyList<double> Objectives { get; } = objectives;
    public int Rank { get; internal set; }
    public double Crowding { get; internal set; }
}

namespace NasBench.Search.Darts.Hardware;

/// <summary>The feature sets a DARTS latency predictor reads, by name, so a saved predictor can be fed the features
/// it was trained on (its metadata <c>features</c> names the set).</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>counts</c>: <see cref="GenotypeEncoding.Encode"/>, 32 operation counts.</item>
/// <item><c>counts+lookup</c>: the 32 counts followed by the table's sum per candidate operation type over the
/// network (8 values, ms, in <see cref="DartsOperations.All"/> order): where the network spends its time according to
/// the table, so a correction can depend on it (convolutions and pooling suffer differently from a cold cache).
/// Needs the table.</item>
/// </list>
/// </remarks>
public static class DartsLatencyFeatures
{
    public const string Counts = "counts";

    public const string CountsAndLookup = "counts+lookup";

    /// <summary>Number of values of <paramref name="set"/>.</summary>
    /// <exception cref="ArgumentException">Unknown set.</exception>
    public static int Length(string set) => set switch
    {
        Counts => GenotypeEncoding.Length,
        CountsAndLookup => GenotypeEncoding.Length + DartsOperations.Count,
        _ => throw Unknown(set),
    };

    /// <exception cref="ArgumentException">Unknown set, or <c>counts+lookup</c> without a model.</exception>
    public static float[] Build(string set, Genotype genotype, DartsLatencyModel? model)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        switch (set)
        {
            case Counts:
                return GenotypeEncoding.Encode(genotype);
            case CountsAndLookup:
                if (model is null)
                {
                    throw new ArgumentException($"Feature set '{CountsAndLookup}' needs a latency table.", nameof(model));
                }
                var counts = GenotypeEncoding.Encode(genotype);
                var byOp = model.SumByCandidate(genotype);
                var x = new float[counts.Length + byOp.Length];
                counts.CopyTo(x, 0);
                for (int o = 0; o < byOp.Length; o++)
                {
                    x[counts.Length + o] = (float)byOp[o];
                }
                return x;
            default:
                throw Unknown(set);
        }
    }

    private static ArgumentException Unknown(string set) =>
        new($"Unknown latency feature set '{set}'; expected '{Counts}' or '{CountsAndLookup}'.", nameof(set));
}

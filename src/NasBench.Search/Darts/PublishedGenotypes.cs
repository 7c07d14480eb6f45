namespace NasBench.Search.Darts;

/// <summary>Genotypes published with DARTS (quark0/darts <c>cnn/genotypes.py</c>; darts.md §1.7).</summary>
public static class PublishedGenotypes
{
    private const string Sep3 = DartsOperations.SepConv3x3;
    private const string Dil3 = DartsOperations.DilConv3x3;
    private const string Skip = DartsOperations.SkipConnect;
    private const string Max = DartsOperations.MaxPool3x3;
    private const string Avg = DartsOperations.AvgPool3x3;
    private static readonly int[] AllNodes = [2, 3, 4, 5];

    /// <summary>First-order DARTS on CIFAR-10.</summary>
    public static Genotype DartsV1 { get; } = new(
        [new(Sep3, 1), new(Sep3, 0), new(Skip, 0), new(Sep3, 1), new(Skip, 0), new(Sep3, 1), new(Sep3, 0), new(Skip, 2)],
        AllNodes,
        [new(Max, 0), new(Max, 1), new(Skip, 2), new(Max, 0), new(Max, 0), new(Skip, 2), new(Skip, 2), new(Avg, 0)],
        AllNodes);

    /// <summary>Second-order DARTS on CIFAR-10; the reference code's default <c>DARTS</c>.</summary>
    public static Genotype DartsV2 { get; } = new(
        [new(Sep3, 0), new(Sep3, 1), new(Sep3, 0), new(Sep3, 1), new(Sep3, 1), new(Skip, 0), new(Skip, 0), new(Dil3, 2)],
        AllNodes,
        [new(Max, 0), new(Max, 1), new(Skip, 2), new(Max, 1), new(Max, 0), new(Skip, 2), new(Skip, 2), new(Max, 1)],
        AllNodes);

    /// <summary>Name → genotype, case-insensitive, with the reference code's spellings.</summary>
    public static IReadOnlyDictionary<string, Genotype> ByName { get; } =
        new Dictionary<string, Genotype>(StringComparer.OrdinalIgnoreCase)
        {
            ["DARTS_V1"] = DartsV1,
            ["DARTS_V2"] = DartsV2,
            ["DARTS"] = DartsV2,
        };

    /// <summary>Resolves a genotype given on the command line: a published name, a JSON file, or a text-form file.</summary>
    /// <exception cref="GenotypeFormatException">Not a known name, and no such file, or the file is not a genotype.</exception>
    public static Genotype Resolve(string nameOrPath)
    {
        if (ByName.TryGetValue(nameOrPath, out var named))
        {
            return named;
        }
        if (!File.Exists(nameOrPath))
        {
            throw new GenotypeFormatException(
                $"'{nameOrPath}' is neither a published genotype ({string.Join(", ", ByName.Keys)}) nor a file.");
        }
        string text = File.ReadAllText(nameOrPath);
        return text.TrimStart().StartsWith('{')
            ? GenotypeJson.Deserialize(text, nameOrPath)
            : ParseTextFile(text, nameOrPath);
    }

    private static Genotype ParseTextFile(string text, string path)
    {
        try
        {
            return GenotypeText.Parse(text);
        }
        catch (GenotypeFormatException e)
        {
            throw new GenotypeFormatException($"{path}: {e.Message}", e);
        }
    }
}

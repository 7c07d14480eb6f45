namespace NasBench.Search.Darts;

/// <summary>The eight candidate operations of the DARTS cell space, in the order of α's columns.</summary>
/// <remarks>Names are kept exactly as the literature (quark0/darts <c>PRIMITIVES</c>) writes them, so genotypes we
/// print can be pasted into other tools and published ones read back. See darts.md §1.2.</remarks>
public static class DartsOperations
{
    public const string None = "none";
    public const string MaxPool3x3 = "max_pool_3x3";
    public const string AvgPool3x3 = "avg_pool_3x3";
    public const string SkipConnect = "skip_connect";
    public const string SepConv3x3 = "sep_conv_3x3";
    public const string SepConv5x5 = "sep_conv_5x5";
    public const string DilConv3x3 = "dil_conv_3x3";
    public const string DilConv5x5 = "dil_conv_5x5";

    /// <summary>All eight, index = column of α.</summary>
    public static IReadOnlyList<string> All { get; } =
        [None, MaxPool3x3, AvgPool3x3, SkipConnect, SepConv3x3, SepConv5x5, DilConv3x3, DilConv5x5];

    public static int Count => All.Count;

    /// <summary>Column index of a named operation.</summary>
    /// <exception cref="FormatException">The name is not one of the eight.</exception>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new FormatException(
            $"Unknown DARTS operation '{name}'; expected one of: {string.Join(", ", All)}.");
    }

    /// <summary>Like <see cref="IndexOf"/> but the error names where the bad name was found.</summary>
    internal static int IndexOfOrThrow(string name, string where)
    {
        try
        {
            return IndexOf(name);
        }
        catch (FormatException e)
        {
            throw new GenotypeFormatException($"{where}: {e.Message}", e);
        }
    }

    public static bool IsParameterFree(string name) =>
        name is None or MaxPool3x3 or AvgPool3x3 or SkipConnect;
}

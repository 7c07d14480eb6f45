using System.Globalization;
using System.Text.RegularExpressions;

namespace NasBench.Search.Darts;

/// <summary>Parses the DARTS reference code's genotype repr, as printed in its logs and <c>genotypes.py</c>.</summary>
/// <remarks>Accepts <c>normal_concat=[2, 3, 4, 5]</c> and <c>normal_concat=range(2, 6)</c>, single or double quotes,
/// and optional whitespace, so a line copied from a DARTS log parses.</remarks>
public static partial class GenotypeText
{
    /// <exception cref="GenotypeFormatException">The text is not a genotype repr, or describes an invalid one.</exception>
    public static Genotype Parse(string text)
    {
        var m = GenotypePattern().Match(text.Trim());
        if (!m.Success)
        {
            throw new GenotypeFormatException(
                "Expected 'Genotype(normal=[(op, input), ...], normal_concat=[...], reduce=[...], reduce_concat=[...])'; "
                + $"got '{Shorten(text)}'.");
        }
        return new Genotype(Edges(m.Groups["normal"].Value), Concat(m.Groups["nc"].Value),
            Edges(m.Groups["reduce"].Value), Concat(m.Groups["rc"].Value));
    }

    public static bool TryParse(string text, out Genotype? genotype)
    {
        try
        {
            genotype = Parse(text);
            return true;
        }
        catch (GenotypeFormatException)
        {
            genotype = null;
            return false;
        }
    }

    private static List<GenotypeEdge> Edges(string body)
    {
        var edges = new List<GenotypeEdge>();
        foreach (Match e in EdgePattern().Matches(body))
        {
            edges.Add(new GenotypeEdge(e.Groups["op"].Value, int.Parse(e.Groups["input"].Value, CultureInfo.InvariantCulture)));
        }
        return edges;
    }

    private static List<int> Concat(string body)
    {
        var range = RangePattern().Match(body);
        if (range.Success)
        {
            int start = int.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
            int end = int.Parse(range.Groups["b"].Value, CultureInfo.InvariantCulture);
            return [.. Enumerable.Range(start, Math.Max(0, end - start))];
        }
        return [.. IntPattern().Matches(body).Select(x => int.Parse(x.Value, CultureInfo.InvariantCulture))];
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^Genotype\(\s*normal\s*=\s*\[(?<normal>.*?)\]\s*,\s*normal_concat\s*=\s*(?<nc>\[[^\]]*\]|range\([^)]*\))\s*,\s*reduce\s*=\s*\[(?<reduce>.*?)\]\s*,\s*reduce_concat\s*=\s*(?<rc>\[[^\]]*\]|range\([^)]*\))\s*\)$", RegexOptions.Singleline)]
    private static partial Regex GenotypePattern();

    [GeneratedRegex(@"\(\s*['""](?<op>[^'""]+)['""]\s*,\s*(?<input>-?\d+)\s*\)")]
    private static partial Regex EdgePattern();

    [GeneratedRegex(@"range\(\s*(?<a>\d+)\s*,\s*(?<b>\d+)\s*\)")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex IntPattern();
}

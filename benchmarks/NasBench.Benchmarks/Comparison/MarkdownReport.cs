using System.Globalization;
using System.Text;

namespace NasBench.Benchmarks.Comparison;

/// <summary>Renders a <see cref="ComparisonResult"/> as GitHub Markdown: a summary line, then "Slower" and "Faster"
/// tables with base/diff medians and the ratio (the layout of dotnet/performance's ResultsComparer).</summary>
public static class MarkdownReport
{
    public static string Render(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var settings = result.Settings;
        var slower = result.Slower.ToList();
        var faster = result.Faster.ToList();
        var md = new StringBuilder();
        md.AppendLine("# Benchmark comparison").AppendLine();
        md.AppendLine(Invariant($"Base: `{result.Base}`  ")).AppendLine(Invariant($"Diff: `{result.Diff}`")).AppendLine();
        int same = result.Benchmarks.Count - slower.Count - faster.Count;
        md.Append(Invariant($"Threshold {settings.Threshold * 100:0.##} %, "))
            .Append(Invariant($"noise floor {settings.NoiseNanoseconds:0.###} ns, "))
            .Append(Invariant($"Mann–Whitney U two-sided α = {settings.Alpha:0.####}. "))
            .AppendLine(Invariant(
                $"{result.Benchmarks.Count} compared: {slower.Count} slower, {faster.Count} faster, {same} same."));
        md.AppendLine();

        md.AppendLine("## Slower").AppendLine();
        AppendTable(md, slower, "diff/base", c => c.Ratio);
        md.AppendLine("## Faster").AppendLine();
        AppendTable(md, faster, "base/diff", c => c.Ratio is { } r && r > 0 ? 1.0 / r : null);

        AppendList(md, "Only in base", result.OnlyInBase);
        AppendList(md, "Only in diff", result.OnlyInDiff);
        return md.ToString();
    }

    private static void AppendTable(
        StringBuilder md,
        List<BenchmarkComparison> rows,
        string ratioName,
        Func<BenchmarkComparison, double?> ratio)
    {
        if (rows.Count == 0)
        {
            md.AppendLine("None.").AppendLine();
            return;
        }
        md.AppendLine(Invariant($"| Benchmark | {ratioName} | Base median (ns) | Diff median (ns) | p-value |"));
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            string r = ratio(row) is { } value ? Invariant($"{value:0.00}") : "∞";
            md.Append(Invariant($"| {Cell(row.FullName)} | {r} | "))
                .AppendLine(Invariant(
                    $"{row.BaseMedianNanoseconds:N3} | {row.DiffMedianNanoseconds:N3} | {row.PValue:G3} |"));
        }
        md.AppendLine();
    }

    private static void AppendList(StringBuilder md, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }
        md.AppendLine(Invariant($"## {title}")).AppendLine();
        foreach (string name in names)
        {
            md.AppendLine(Invariant($"- {name}"));
        }
        md.AppendLine();
    }

    /// <summary>A pipe inside a parameter value would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

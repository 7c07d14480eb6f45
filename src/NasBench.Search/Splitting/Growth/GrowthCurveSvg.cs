using System.Globalization;
using System.Text;

namespace NasBench.Search.Splitting.Growth;

/// <summary>Test accuracy against MACs, one polyline per run, as a self-contained SVG.</summary>
public static class GrowthCurveSvg
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    public static string Render(IReadOnlyList<(string Label, IReadOnlyList<GrowthRound> Rounds)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        const double w = 640, h = 400, left = 70, right = 170, top = 20, bottom = 50;
        var points = runs.SelectMany(r => r.Rounds).ToList();
        double xMin = points.Count == 0 ? 0 : points.Min(p => p.Macs), xMax = points.Count == 0 ? 1 : points.Max(p => p.Macs);
        double yMin = points.Count == 0 ? 0 : points.Min(p => p.TestAccuracy), yMax = points.Count == 0 ? 1 : points.Max(p => p.TestAccuracy);
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }
        yMin = Math.Floor((yMin * 100) - 1) / 100;
        yMax = Math.Ceiling((yMax * 100) + 1) / 100;
        double X(double v) => left + ((v - xMin) / (xMax - xMin) * (w - left - right));
        double Y(double v) => h - bottom - ((v - yMin) / (yMax - yMin) * (h - top - bottom));
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(inv, $"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n");
        sb.Append(inv, $"<line x1=\"{left}\" y1=\"{h - bottom}\" x2=\"{w - right}\" y2=\"{h - bottom}\" stroke=\"black\"/>\n");
        sb.Append(inv, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{h - bottom}\" stroke=\"black\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double xv = xMin + ((xMax - xMin) * i / 4), yv = yMin + ((yMax - yMin) * i / 4);
            sb.Append(inv, $"<text x=\"{X(xv):F1}\" y=\"{h - bottom + 16}\" text-anchor=\"middle\">{xv / 1e6:F2}M</text>\n");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{Y(yv) + 4:F1}\" text-anchor=\"end\">{yv * 100:F1}%</text>\n");
        }
        sb.Append(inv, $"<text x=\"{(left + w - right) / 2}\" y=\"{h - 10}\" text-anchor=\"middle\">MACs per image</text>\n");
        sb.Append(inv, $"<text x=\"16\" y=\"{(top + h - bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(top + h - bottom) / 2})\">test accuracy</text>\n");
        for (int r = 0; r < runs.Count; r++)
        {
            string color = Colors[r % Colors.Length];
            var pts = runs[r].Rounds.OrderBy(p => p.Macs)
                .Select(p => string.Create(inv, $"{X(p.Macs):F1},{Y(p.TestAccuracy):F1}")).ToList();
            sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', pts)}\"/>\n");
            foreach (var p in runs[r].Rounds)
            {
                sb.Append(inv, $"<circle cx=\"{X(p.Macs):F1}\" cy=\"{Y(p.TestAccuracy):F1}\" r=\"3\" fill=\"{color}\"/>\n");
            }
            double ly = top + 10 + (r * 18);
            sb.Append(inv, $"<rect x=\"{w - right + 10}\" y=\"{ly - 8}\" width=\"12\" height=\"4\" fill=\"{color}\"/>\n");
            sb.Append(inv, $"<text x=\"{w - right + 28}\" y=\"{ly}\">{Escape(runs[r].Label)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}

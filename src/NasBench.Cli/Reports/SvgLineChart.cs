using System.Globalization;
using System.Text;

namespace NasBench.Cli.Reports;

/// <summary>A small, dependency-free SVG line chart: a few named series over a shared x axis, with axes, ticks and
/// a legend. Enough for learning curves and growth curves in run reports.</summary>
internal sealed class SvgLineChart(string title, string xLabel, string yLabel)
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    public SvgLineChart Add(string name, IEnumerable<(double X, double Y)> points)
    {
        _series.Add((name, [.. points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))]));
        return this;
    }

    public string Render(int width = 640, int height = 360)
    {
        const int left = 64, right = 150, top = 36, bottom = 48;
        var all = _series.SelectMany(s => s.Points).ToList();
        double x0 = all.Count == 0 ? 0 : all.Min(p => p.X), x1 = all.Count == 0 ? 1 : all.Max(p => p.X);
        double y0 = all.Count == 0 ? 0 : all.Min(p => p.Y), y1 = all.Count == 0 ? 1 : all.Max(p => p.Y);
        if (x1 <= x0)
        {
            (x0, x1) = (x0 - 0.5, x1 + 0.5);
        }
        if (y1 <= y0)
        {
            (y0, y1) = (y0 - 0.5, y1 + 0.5);
        }
        double pad = (y1 - y0) * 0.05;
        (y0, y1) = (y0 - pad, y1 + pad);
        int plotW = width - left - right, plotH = height - top - bottom;
        double X(double x) => left + ((x - x0) / (x1 - x0) * plotW);
        double Y(double y) => top + plotH - ((y - y0) / (y1 - y0) * plotH);

        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" "))
            .Append("font-family=\"sans-serif\" font-size=\"12\">\n")
            .Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"))
            .Append(Invariant($"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">"))
            .Append(Escape(title)).Append("</text>\n")
            .Append(Invariant($"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{left + plotW}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n"))
            .Append(Invariant($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n"));
        for (int i = 0; i <= 4; i++)
        {
            double xv = x0 + ((x1 - x0) * i / 4), yv = y0 + ((y1 - y0) * i / 4);
            sb.Append(Invariant($"<text x=\"{X(xv):F1}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{Tick(xv)}</text>\n"))
                .Append(Invariant($"<text x=\"{left - 6}\" y=\"{Y(yv) + 4:F1}\" text-anchor=\"end\">{Tick(yv)}</text>\n"))
                .Append(Invariant($"<line x1=\"{left}\" y1=\"{Y(yv):F1}\" x2=\"{left + plotW}\" y2=\"{Y(yv):F1}\" stroke=\"#eee\"/>\n"));
        }
        sb.Append(Invariant($"<text x=\"{left + (plotW / 2)}\" y=\"{height - 10}\" text-anchor=\"middle\">"))
            .Append(Escape(xLabel)).Append("</text>\n")
            .Append(Invariant($"<text x=\"16\" y=\"{top + (plotH / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + (plotH / 2)})\">"))
            .Append(Escape(yLabel)).Append("</text>\n");
        for (int s = 0; s < _series.Count; s++)
        {
            string color = Palette[s % Palette.Length];
            var pts = _series[s].Points;
            if (pts.Count > 0)
            {
                sb.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\""))
                    .Append(string.Join(' ', pts.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}"))))
                    .Append("\"/>\n");
                foreach (var p in pts)
                {
                    sb.Append(Invariant($"<circle cx=\"{X(p.X):F1}\" cy=\"{Y(p.Y):F1}\" r=\"3\" fill=\"{color}\"/>\n"));
                }
            }
            int ly = top + 10 + (s * 18);
            sb.Append(Invariant($"<rect x=\"{left + plotW + 12}\" y=\"{ly - 8}\" width=\"12\" height=\"3\" fill=\"{color}\"/>"))
                .Append(Invariant($"<text x=\"{left + plotW + 30}\" y=\"{ly - 3}\">")).Append(Escape(_series[s].Name))
                .Append("</text>\n");
        }
        return sb.Append("</svg>\n").ToString();
    }

    private static string Tick(double v) =>
        Math.Abs(v) >= 1000 ? v.ToString("G3", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}

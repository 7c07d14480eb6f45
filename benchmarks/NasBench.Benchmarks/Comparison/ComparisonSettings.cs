using System.Globalization;

namespace NasBench.Benchmarks.Comparison;

/// <summary>When a difference between two runs counts as a change.</summary>
/// <param name="Threshold">Smallest relative change reported, as a fraction (0.05 for <c>5%</c>).</param>
/// <param name="NoiseNanoseconds">Absolute floor: a median difference smaller than this is noise whatever its ratio
/// (1.0 → 1.1 ns is +10 % but nothing a timer resolves).</param>
/// <param name="Alpha">Significance level of the Mann–Whitney test.</param>
public sealed record ComparisonSettings(double Threshold = 0.05, double NoiseNanoseconds = 0.3, double Alpha = 0.05)
{
    /// <summary>Parses <c>5%</c> (a percentage; the percent sign is required so <c>5</c> and <c>0.05</c> can't be
    /// confused).</summary>
    public static double ParseThreshold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.EndsWith('%')
            && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double percent)
            && percent >= 0 && double.IsFinite(percent))
        {
            return percent / 100.0;
        }
        throw new ComparisonException($"--threshold: expected a non-negative percentage such as 5%, got '{text}'.");
    }

    /// <summary>Parses a duration with a unit — <c>0.3ns</c>, <c>2us</c> (or <c>μs</c>), <c>1ms</c>, <c>1s</c> — into
    /// nanoseconds.</summary>
    public static double ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        (string Suffix, double Scale)[] units = [("ns", 1), ("us", 1e3), ("μs", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)];
        foreach (var (suffix, scale) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(
                    trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && value >= 0 && double.IsFinite(value))
            {
                return value * scale;
            }
        }
        throw new ComparisonException($"--noise: expected a non-negative duration such as 0.3ns or 2us, got '{text}'.");
    }

    public static double ParseAlpha(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha)
            && alpha > 0 && alpha < 1)
        {
            return alpha;
        }
        throw new ComparisonException($"--alpha: expected a significance level in (0, 1) such as 0.05, got '{text}'.");
    }
}

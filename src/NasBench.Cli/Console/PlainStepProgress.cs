using System.Globalization;

namespace NasBench.Cli.Console;

/// <summary>The non-interactive rendering of <see cref="IStepProgress"/>: one line per step on stderr with elapsed
/// time and ETA.</summary>
/// <remarks>Spectre's own fallback renderer prints only milestone percentages, which says nothing about how long a
/// CI job will still run; a line per step/epoch does, and reads well in log files. ETA extrapolates the mean step time
/// so far: crude, but honest about what it is.</remarks>
internal sealed class PlainStepProgress : IStepProgress
{
    private readonly TextWriter _log;
    private readonly string _description;
    private readonly string _unit;
    private readonly int _total;
    private readonly TimeProvider _time;
    private readonly long _start;
    private int _done;

    public PlainStepProgress(TextWriter log, string description, string unit, int total, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        _log = log;
        _description = description;
        _unit = unit;
        _total = total;
        _time = time;
        _start = time.GetTimestamp();
    }

    public void Advance(string? detail = null)
    {
        _done++;
        var elapsed = _time.GetElapsedTime(_start);
        string width = _total.ToString(CultureInfo.InvariantCulture);
        string done = _done.ToString(CultureInfo.InvariantCulture).PadLeft(width.Length);
        string percent = _total == 0
            ? "100"
            : (100.0 * Math.Min(_done, _total) / _total).ToString("F0", CultureInfo.InvariantCulture).PadLeft(3);
        string eta = _done >= _total
            ? "done"
            : "ETA " + Format(elapsed / _done * (_total - _done));
        string suffix = string.IsNullOrEmpty(detail) ? string.Empty : $"  {detail}";
        _log.WriteLine(
            $"{_description}: {_unit} {done}/{width} {percent}%  elapsed {Format(elapsed)}  {eta}{suffix}");
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1
            ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}

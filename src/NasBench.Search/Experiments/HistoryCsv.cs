using System.Globalization;
using System.Text;

namespace NasBench.Search.Experiments;

/// <summary>A run's <c>history.csv</c>: a header row, then one row per finished epoch, appended as the run goes.
/// </summary>
/// <remarks>Values are written with the invariant culture and round-trip precision; a value containing a comma,
/// quote or line break is quoted RFC 4180 style. Opening an existing file checks that its header is the expected one,
/// so two different kinds of run never mix their rows.</remarks>
public sealed class HistoryCsv
{
    private readonly string[] _columns;

    /// <summary>Opens <paramref name="path"/>, writing the header if the file is new or empty.</summary>
    /// <exception cref="RunDirectoryException">The file exists with another header.</exception>
    public HistoryCsv(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("HistoryCsv needs at least one column.", nameof(columns));
        }
        Path = path;
        _columns = [.. columns];
        string header = Line(_columns);
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            string actual = File.ReadLines(path).First();
            if (actual != header)
            {
                throw new RunDirectoryException(
                    $"{path}: header row does not match this run: expected '{header}', found '{actual}'.");
            }
        }
        else
        {
            File.WriteAllText(path, header + "\n", new UTF8Encoding(false));
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Appends one row (flushed to the file before returning).</summary>
    /// <exception cref="ArgumentException">The row has another number of values than there are columns.</exception>
    public void Append(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _columns.Length)
        {
            throw new ArgumentException(
                $"{Path}: a row needs {_columns.Length} values ({string.Join(",", _columns)}), got {values.Count}.",
                nameof(values));
        }
        File.AppendAllText(Path, Line(values) + "\n", new UTF8Encoding(false));
    }

    /// <summary>The data rows (header excluded), split into values.</summary>
    public IReadOnlyList<string[]> ReadRows() =>
        File.ReadLines(Path).Skip(1).Where(l => l.Length > 0).Select(Split).ToList();

    /// <summary>Keeps the first <paramref name="rows"/> data rows and drops the rest: a resumed run rewinds its
    /// history to the checkpoint, so rows of epochs it is about to redo are not duplicated.</summary>
    public void Truncate(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var lines = File.ReadLines(Path).Where(l => l.Length > 0).Take(rows + 1).ToList();
        if (lines.Count < rows + 1)
        {
            throw new RunDirectoryException(
                $"{Path}: expected at least {rows} rows to match the checkpoint, found {lines.Count - 1}.");
        }
        AtomicFile.WriteText(Path, string.Join("\n", lines) + "\n");
    }

    /// <summary>A number in the file's format: invariant culture, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An integer in the file's format.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Line(IReadOnlyList<string> values) => string.Join(",", values.Select(Quote));

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string[] Split(string line)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        values.Add(current.ToString());
        return [.. values];
    }
}

using System.Text.Json;

namespace NasBench.Benchmarks.Comparison;

/// <summary>Reads BenchmarkDotNet full JSON reports (<c>JsonExporter.Full</c>, <c>*-report-full.json</c>).</summary>
/// <remarks>Only what the comparer needs is read: <c>Benchmarks[].FullName</c> and the
/// <c>Benchmarks[].Measurements[]</c> entries with <c>IterationMode = "Workload"</c> and
/// <c>IterationStage = "Result"</c> — the overhead-corrected iterations BenchmarkDotNet's own statistics use — each
/// giving <c>Nanoseconds / Operations</c>. A benchmark with no such measurement (it failed, or was not run) is
/// skipped with a warning; anything structurally wrong is an error naming the file and what was expected.</remarks>
public static class ReportReader
{
    public const string ReportPattern = "*-report-full.json";

    /// <summary>Reads a report file, or every <see cref="ReportPattern"/> file under a folder (recursively).</summary>
    /// <param name="path">A file or folder.</param>
    /// <param name="warnings">Receives one line per skipped benchmark or duplicate name.</param>
    /// <exception cref="ComparisonException">Missing path, no reports in the folder, or a malformed report.</exception>
    public static IReadOnlyList<BenchmarkSample> Read(string path, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        string[] files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, ReportPattern, SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                throw new ComparisonException($"{path}: no {ReportPattern} files in this folder.");
            }
        }
        else
        {
            throw new ComparisonException($"{path}: no such file or folder.");
        }

        var samples = new List<BenchmarkSample>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            foreach (var sample in ReadFile(file, warnings))
            {
                if (seen.Add(sample.FullName))
                {
                    samples.Add(sample);
                }
                else
                {
                    warnings.Add($"{file}: duplicate benchmark '{sample.FullName}' ignored (first one kept).");
                }
            }
        }
        return samples;
    }

    /// <summary>Reads one report file.</summary>
    /// <exception cref="ComparisonException">The file is unreadable, not JSON, or lacks the expected fields.</exception>
    public static IReadOnlyList<BenchmarkSample> ReadFile(string file, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(file);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new ComparisonException(
                $"{file}: not valid JSON ({e.Message}); expected a BenchmarkDotNet full JSON report.", e);
        }
        catch (IOException e)
        {
            throw new ComparisonException($"{file}: cannot be read ({e.Message}).", e);
        }
        using (document)
        {
            return Parse(document.RootElement, file, warnings);
        }
    }

    private static List<BenchmarkSample> Parse(JsonElement root, string file, ICollection<string> warnings)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("Benchmarks", out var benchmarks)
            || benchmarks.ValueKind != JsonValueKind.Array)
        {
            throw new ComparisonException(
                $"{file}: expected a JSON object with a \"Benchmarks\" array (a BenchmarkDotNet *-report-full.json).");
        }
        var samples = new List<BenchmarkSample>();
        int index = 0;
        foreach (var benchmark in benchmarks.EnumerateArray())
        {
            string where = $"{file}: Benchmarks[{index}]";
            if (benchmark.ValueKind != JsonValueKind.Object
                || !benchmark.TryGetProperty("FullName", out var fullNameElement)
                || fullNameElement.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(fullNameElement.GetString()))
            {
                throw new ComparisonException($"{where}: expected an object with a non-empty string \"FullName\".");
            }
            string fullName = fullNameElement.GetString()!;
            if (!benchmark.TryGetProperty("Measurements", out var measurements)
                || measurements.ValueKind != JsonValueKind.Array)
            {
                throw new ComparisonException(
                    $"{where} ({fullName}): expected a \"Measurements\" array; was the report written with " +
                    "JsonExporter.Full (not Brief)?");
            }
            var values = new List<double>();
            int m = 0;
            foreach (var measurement in measurements.EnumerateArray())
            {
                string at = $"{where}.Measurements[{m}] ({fullName})";
                if (measurement.ValueKind != JsonValueKind.Object)
                {
                    throw new ComparisonException($"{at}: expected an object.");
                }
                if (String(measurement, "IterationMode", at) == "Workload"
                    && String(measurement, "IterationStage", at) == "Result")
                {
                    double operations = Number(measurement, "Operations", at);
                    double nanoseconds = Number(measurement, "Nanoseconds", at);
                    if (operations <= 0)
                    {
                        throw new ComparisonException($"{at}: expected \"Operations\" > 0, found {operations}.");
                    }
                    values.Add(nanoseconds / operations);
                }
                m++;
            }
            if (values.Count == 0)
            {
                warnings.Add($"{file}: '{fullName}' has no workload result measurements (failed or not run); skipped.");
            }
            else
            {
                samples.Add(new BenchmarkSample(fullName, values, file));
            }
            index++;
        }
        return samples;
    }

    private static string String(JsonElement element, string name, string at) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ComparisonException($"{at}: expected a string \"{name}\".");

    private static double Number(JsonElement element, string name, string at) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out double number) && double.IsFinite(number)
            ? number
            : throw new ComparisonException($"{at}: expected a finite number \"{name}\".");
}

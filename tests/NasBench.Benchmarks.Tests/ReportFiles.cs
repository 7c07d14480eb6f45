using System.Globalization;
using System.Text;

namespace NasBench.Benchmarks.Tests;

/// <summary>Writes small synthetic BenchmarkDotNet full JSON reports (the fields the real exporter writes around the
/// ones the comparer reads) into a temporary folder removed on dispose.</summary>
internal sealed class ReportFiles : IDisposable
{
    public ReportFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "nasbench-compare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A report whose benchmarks have the given per-operation times (ns), stored as Nanoseconds over
    /// 1000 operations, surrounded by pilot/warmup/overhead measurements the comparer must ignore.</summary>
    public string Write(string relativePath, params (string FullName, double[] NsPerOp)[] benchmarks)
    {
        var json = new StringBuilder();
        json.Append("{\"Title\":\"Synthetic\",\"HostEnvironmentInfo\":{\"ProcessorName\":\"test\"},\"Benchmarks\":[");
        for (int b = 0; b < benchmarks.Length; b++)
        {
            var (fullName, values) = benchmarks[b];
            json.Append(b == 0 ? "" : ",");
            json.Append(CultureInfo.InvariantCulture, $"{{\"Type\":\"T\",\"Method\":\"M\",\"FullName\":\"{fullName}\",");
            json.Append("\"Statistics\":null,\"Measurements\":[");
            json.Append("{\"IterationMode\":\"Workload\",\"IterationStage\":\"Pilot\",\"LaunchIndex\":1,");
            json.Append("\"IterationIndex\":1,\"Operations\":1,\"Nanoseconds\":999999},");
            json.Append("{\"IterationMode\":\"Overhead\",\"IterationStage\":\"Actual\",\"LaunchIndex\":1,");
            json.Append("\"IterationIndex\":1,\"Operations\":1000,\"Nanoseconds\":12345}");
            for (int i = 0; i < values.Length; i++)
            {
                json.Append(CultureInfo.InvariantCulture,
                    $",{{\"IterationMode\":\"Workload\",\"IterationStage\":\"Result\",\"LaunchIndex\":1,");
                json.Append(CultureInfo.InvariantCulture,
                    $"\"IterationIndex\":{i + 1},\"Operations\":1000,\"Nanoseconds\":{values[i] * 1000:R}}}");
            }
            json.Append("]}");
        }
        json.Append("]}");
        return WriteRaw(relativePath, json.ToString());
    }

    public string WriteRaw(string relativePath, string content)
    {
        string path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing Dispose would hide the real test outcome.
        }
    }
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>The config every NasBench benchmark runs under: full JSON (so any two runs can be compared), GitHub
/// Markdown, and allocation counts.</summary>
public sealed class NasBenchConfig : ManualConfig
{
    public NasBenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddExporter(JsonExporter.Full, MarkdownExporter.GitHub);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(ThroughputColumn.Gflops, ThroughputColumn.Gbps);
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}

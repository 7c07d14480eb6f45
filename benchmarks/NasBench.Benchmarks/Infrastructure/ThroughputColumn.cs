using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>GFLOP/s or GB/s from the measured mean and the work an <see cref="IThroughputSource"/> declares.</summary>
public sealed class ThroughputColumn(WorkKind kind) : IColumn
{
    public static readonly ThroughputColumn Gflops = new(WorkKind.Flop);
    public static readonly ThroughputColumn Gbps = new(WorkKind.Byte);

    public string Id => $"Throughput.{kind}";
    public string ColumnName => kind == WorkKind.Flop ? "GFLOP/s" : "GB/s";
    public bool AlwaysShow => false;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => kind == WorkKind.Flop
        ? "Billions of floating-point operations per second (from the mean)"
        : "Gigabytes moved per second (from the mean)";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => WorkOf(c) is { } w && w.Kind == kind);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || WorkOf(benchmarkCase) is not { } work || work.Kind != kind || stats.Mean <= 0)
        {
            return "-";
        }
        // Mean is in nanoseconds per operation, so amount / ns is already "giga per second".
        return (work.Amount / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Work? WorkOf(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IThroughputSource).IsAssignableFrom(type))
        {
            return null;
        }
        var instance = (IThroughputSource)Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            if (type.GetProperty(parameter.Name, flags) is { CanWrite: true } property)
            {
                property.SetValue(instance, parameter.Value);
            }
            else
            {
                type.GetField(parameter.Name, flags)?.SetValue(instance, parameter.Value);
            }
        }
        return instance.WorkPerOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
    }
}

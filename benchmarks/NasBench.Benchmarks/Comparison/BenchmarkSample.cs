namespace NasBench.Benchmarks.Comparison;

/// <summary>The measured per-operation times of one benchmark case in one run.</summary>
/// <param name="FullName">BenchmarkDotNet's <c>FullName</c> (type, method and parameters): the key runs are matched
/// on.</param>
/// <param name="NanosecondsPerOperation">One value per workload result iteration (overhead already subtracted by
/// BenchmarkDotNet): <c>Nanoseconds / Operations</c>.</param>
/// <param name="SourceFile">The report the sample came from, for messages.</param>
public sealed record BenchmarkSample(string FullName, IReadOnlyList<double> NanosecondsPerOperation, string SourceFile)
{
    /// <summary>The median per-operation time in nanoseconds.</summary>
    public double Median => Statistics.Median(NanosecondsPerOperation);
}

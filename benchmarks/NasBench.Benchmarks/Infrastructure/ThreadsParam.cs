namespace NasBench.Benchmarks.Infrastructure;

/// <summary>Thread counts every kernel benchmark runs at (this project's reference machine has 2 cores).</summary>
public static class ThreadsParam
{
    public static IEnumerable<int> Values => [1, 2];
}

namespace NasBench.Cli.Benchmarks;

/// <summary>Finds the NasBench repository root, which <c>nasbench bench</c> needs to run the benchmarks project.
/// </summary>
/// <remarks>The benchmarks are a separate project that must be built in Release by the SDK (BenchmarkDotNet generates
/// and builds code next to it), so <c>bench</c> works from a source checkout only: from the current directory or from
/// wherever the <c>nasbench</c> executable was built inside the checkout.</remarks>
internal static class RepositoryLocator
{
    /// <summary>The file that marks a directory as the repository root, relative to it.</summary>
    public static readonly string BenchmarksProject =
        Path.Combine("benchmarks", "NasBench.Benchmarks", "NasBench.Benchmarks.csproj");

    /// <summary>The first directory, walking up from each start in turn, that holds <see cref="BenchmarksProject"/>;
    /// null when none does.</summary>
    public static string? Find(IEnumerable<string> startDirectories)
    {
        foreach (string start in startDirectories)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, BenchmarksProject)))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }

    /// <summary>Searches from the current directory, then from the executable's directory.</summary>
    /// <exception cref="CliException">Neither lies inside a NasBench checkout.</exception>
    public static string FindOrThrow() => FindOrThrow([Environment.CurrentDirectory, AppContext.BaseDirectory]);

    public static string FindOrThrow(IReadOnlyList<string> startDirectories) =>
        Find(startDirectories) ?? throw new CliException(
            $"cannot find the NasBench repository: no {BenchmarksProject} in {string.Join(" or ", startDirectories)} " +
            "or any directory above. Run this from inside a NasBench checkout.");
}

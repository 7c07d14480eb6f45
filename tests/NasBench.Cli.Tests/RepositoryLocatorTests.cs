using NasBench.Cli.Benchmarks;

namespace NasBench.Cli.Tests;

public sealed class RepositoryLocatorTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "nasbench-locator-" + Guid.NewGuid().ToString("N"));

    public RepositoryLocatorTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Finds_the_root_from_a_nested_directory()
    {
        string marker = Path.Combine(_temp, RepositoryLocator.BenchmarksProject);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, "<Project />");
        string nested = Directory.CreateDirectory(Path.Combine(_temp, "src", "deep", "er")).FullName;
        Assert.Equal(new DirectoryInfo(_temp).FullName, RepositoryLocator.Find([nested]));
    }

    [Fact]
    public void Outside_a_checkout_gives_a_clear_error()
    {
        Assert.Null(RepositoryLocator.Find([_temp]));
        var error = Assert.Throws<CliException>(() => RepositoryLocator.FindOrThrow([_temp]));
        Assert.Contains("cannot find the NasBench repository", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_binaries_live_in_a_checkout_so_the_real_root_is_found()
    {
        string? root = RepositoryLocator.Find([AppContext.BaseDirectory]);
        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "NasBench.sln")));
    }

    [Fact]
    public void The_launch_command_runs_the_benchmarks_project_in_release_with_arguments_untouched()
    {
        var info = BenchmarkLauncher.StartInfo("/repo", ["--filter", "*Sgemm*", "--job", "Dry"]);
        Assert.Equal(
            ["run", "-c", "Release", "--project", Path.Combine("/repo", "benchmarks", "NasBench.Benchmarks"), "--",
             "--filter", "*Sgemm*", "--job", "Dry"],
            info.ArgumentList);
        Assert.Equal("/repo", info.WorkingDirectory);
        Assert.False(info.UseShellExecute);
    }
}

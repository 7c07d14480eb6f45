using NasBench.Benchmarks.Infrastructure;

namespace NasBench.Benchmarks.Tests;

public class ThreadsParamTests
{
    [Fact]
    public void Threads_argument_is_removed_and_applied()
    {
        string[] rest = ThreadsParam.ApplyArgument(["--filter", "*", "--threads", "1,4", "--job", "Dry"]);
        Assert.Equal(["--filter", "*", "--job", "Dry"], rest);
        Assert.Equal([1, 4], ThreadsParam.Values);
        ThreadsParam.ApplyArgument(["--threads", "1,2"]);
        Assert.Equal([1, 2], ThreadsParam.Values);
    }

    [Fact]
    public void Arguments_without_threads_pass_through()
    {
        string[] args = ["--list", "flat"];
        Assert.Same(args, ThreadsParam.ApplyArgument(args));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("1,-2")]
    public void Bad_thread_counts_are_rejected(string value) =>
        Assert.Throws<ArgumentException>(() => ThreadsParam.ApplyArgument(["--threads", value]));

    [Fact]
    public void Missing_value_is_rejected() =>
        Assert.Throws<ArgumentException>(() => ThreadsParam.ApplyArgument(["--threads"]));
}

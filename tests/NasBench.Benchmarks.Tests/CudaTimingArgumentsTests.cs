using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;

namespace NasBench.Benchmarks.Tests;

public class CudaTimingArgumentsTests
{
    [Fact]
    public void Reps_alone_times_every_kernel_and_writes_no_files()
    {
        var options = CudaTimingArguments.Parse(["20"]);
        Assert.Equal(20, options.Reps);
        Assert.Equal(["sgemm", "mixedop", "nmo", "dw", "rq", "lookup", "relu"], options.Kernels);
        Assert.Null(options.JsonPath);
        Assert.Null(options.MarkdownPath);
    }

    [Fact]
    public void Kernels_come_back_once_each_in_canonical_order_and_options_go_anywhere()
    {
        var options = CudaTimingArguments.Parse(["3", "--markdown", "t.md", "relu,sgemm,relu", "--json", "r.json"]);
        Assert.Equal(3, options.Reps);
        Assert.Equal(["sgemm", "relu"], options.Kernels);
        Assert.Equal("r.json", options.JsonPath);
        Assert.Equal("t.md", options.MarkdownPath);
    }

    [Theory]
    [InlineData(new string[0], "REPS is required.")]
    [InlineData(new[] { "--json", "a.json" }, "REPS is required.")]
    [InlineData(new[] { "x" }, "REPS must be an integer ≥ 1, got 'x'.")]
    [InlineData(new[] { "0" }, "REPS must be an integer ≥ 1, got '0'.")]
    [InlineData(new[] { "5", "relu,gemm" }, "unknown kernel 'gemm' in KERNELS 'relu,gemm'")]
    [InlineData(new[] { "5", "relu,,dw" }, "unknown kernel '' in KERNELS 'relu,,dw'")]
    [InlineData(new[] { "5", "relu", "--json" }, "--json needs a FILE after it.")]
    [InlineData(new[] { "5", "--json", "--markdown", "t.md" }, "--json needs a FILE after it.")]
    [InlineData(new[] { "5", "--markdown" }, "--markdown needs a FILE after it.")]
    [InlineData(new[] { "5", "--json", "a", "--json", "b" }, "--json given twice.")]
    [InlineData(new[] { "5", "--csv", "a" }, "unknown option '--csv'")]
    [InlineData(new[] { "5", "relu", "dw" }, "KERNELS given twice ('relu', then 'dw')")]
    public void Bad_arguments_are_a_usage_error_naming_the_problem(string[] args, string message)
    {
        var e = Assert.Throws<TimingUsageException>(() => CudaTimingArguments.Parse(args));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kernel_lists_the_known_ones()
    {
        var e = Assert.Throws<TimingUsageException>(() => CudaTimingArguments.Parse(["5", "conv"]));
        Assert.Contains("sgemm,mixedop,nmo,dw,rq,lookup,relu", e.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Tests;

/// <summary>The <c>cuda-time</c> verb end to end. Which branch runs depends on the machine, and each can fail: without
/// a device (or without NVRTC to compile its kernels) the verb must stop at once with exit code 3; with one it must
/// time ReLU, agree with the CPU and write both files.</summary>
public sealed class CudaTimingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nasbench-cuda-time-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Without_a_device_it_exits_3_with_one_line_else_it_times_relu_and_agrees()
    {
        string json = Path.Combine(_folder, "cuda.json"), markdown = Path.Combine(_folder, "cuda.md");
        var output = new StringWriter();
        var error = new StringWriter();

        int exitCode = CudaTiming.Run(["2", "relu", "--json", json, "--markdown", markdown], output, error);

        // Decided from the driver and NVRTC directly, not from the verb's own check, so a verb that wrongly finds
        // no device on a GPU machine fails here.
        bool canRun = CudaDevice.Probe().IsAvailable && CudaDevice.Get(0).IsAvailable && Nvrtc.IsAvailable;
        if (!canRun)
        {
            Assert.Equal(CudaTiming.NoDevice, exitCode);
            Assert.Equal("", output.ToString());
            string line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("cuda-time: no CUDA device: ", line, StringComparison.Ordinal);
            Assert.False(File.Exists(json) || File.Exists(markdown), "nothing is written without a device");
            return;
        }
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("relu fwd", output.ToString(), StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement row = Assert.Single(report.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("ok", row.GetProperty("status").GetString());
        Assert.Equal(0, row.GetProperty("maxError").GetDouble());
        Assert.True(row.GetProperty("gpuMedianMs").GetDouble() > 0);
        Assert.Contains("| relu fwd |", File.ReadAllText(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_reported_before_the_device_is_looked_at()
    {
        var error = new StringWriter();
        Assert.Throws<TimingUsageException>(() => CudaTiming.Run(["2", "cudnn"], TextWriter.Null, error));
        Assert.Equal("", error.ToString());
    }
}

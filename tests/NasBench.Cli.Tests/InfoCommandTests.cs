using System.Runtime.Intrinsics;
using System.Text.Json;

namespace NasBench.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void Info_json_parses_and_has_the_machine_and_backend_fields()
    {
        var result = CliRunner.Run("info", "--json");
        Assert.Equal(0, result.ExitCode);

        using var json = JsonDocument.Parse(result.Output);
        var machine = json.RootElement.GetProperty("machine");
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("cpuModel").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("architecture").GetString()));
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("logicalCores").GetInt32());
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("coresUsed").GetInt32());
        Assert.StartsWith(".NET", machine.GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("os").GetString()));

        var simd = machine.GetProperty("simd");
        int expectedWidth = Vector512.IsHardwareAccelerated ? 512
            : Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.Equal(expectedWidth, simd.GetProperty("widthBits").GetInt32());
        Assert.Equal(Vector512.IsHardwareAccelerated, simd.GetProperty("vector512").GetBoolean());
        Assert.Equal(JsonValueKind.Array, simd.GetProperty("extensions").ValueKind);
        Assert.Equal(
            System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            simd.GetProperty("extensions").EnumerateArray().Any(e => e.GetString() == "AVX-512F"));

        var backends = json.RootElement.GetProperty("backends").EnumerateArray().ToDictionary(
            b => b.GetProperty("name").GetString()!, b => b);
        Assert.True(backends["cpu"].GetProperty("available").GetBoolean());
        var cuda = backends["cuda"];
        Assert.False(string.IsNullOrWhiteSpace(cuda.GetProperty("status").GetString()));
        if (!cuda.GetProperty("available").GetBoolean())
        {
            Assert.StartsWith("unavailable: ", cuda.GetProperty("status").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Threads_option_sets_the_cores_used()
    {
        var result = CliRunner.Run("info", "--json", "--threads", "1");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(1, json.RootElement.GetProperty("machine").GetProperty("coresUsed").GetInt32());
        Assert.Equal(1, Kernels.Cpu.CpuParallel.MaxThreads);
    }

    [Fact]
    public void Info_without_json_prints_plain_tables_to_stdout()
    {
        var result = CliRunner.Run("info");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Machine", result.Output, StringComparison.Ordinal);
        Assert.Contains("Compute backends", result.Output, StringComparison.Ordinal);
        Assert.Contains("cuda", result.Output, StringComparison.Ordinal);
        Assert.Contains(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            result.Output, StringComparison.Ordinal);
        // Redirected output must carry no ANSI escape sequences.
        Assert.DoesNotContain('\u001b', result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Cpu_model_is_read_from_cpuinfo_lines()
    {
        Assert.Equal("AMD Ryzen 9 7950X 16-Core Processor", Info.CpuModel.Parse(
        [
            "processor\t: 0",
            "vendor_id\t: AuthenticAMD",
            "model name\t: AMD Ryzen 9 7950X 16-Core Processor",
            "model name\t: second one is ignored",
        ]));
        Assert.Equal("Raspberry Pi 4 Model B Rev 1.4", Info.CpuModel.Parse(
            ["processor\t: 0", "BogoMIPS\t: 108.00", "Model\t\t: Raspberry Pi 4 Model B Rev 1.4"]));
        Assert.Null(Info.CpuModel.Parse(["processor\t: 0", "flags\t: fpu"]));
        Assert.Null(Info.CpuModel.Read("/nonexistent/cpuinfo"));
    }
}

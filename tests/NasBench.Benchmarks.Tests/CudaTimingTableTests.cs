using System.Text.Json;
using NasBench.Benchmarks.Kernels;

namespace NasBench.Benchmarks.Tests;

public class CudaTimingTableTests
{
    private static readonly CudaTimingRow Ok = new("sgemm NN", "1024x1024x1024", 812.5, 0.1234, 0.12, 20, 41, false,
        25.5, 24.0, 20, 25.5 / 0.1234, "GFLOP/s", 17400, 84.2, "C", 3.2e-4, 2.048e-3, false, true, null);

    [Fact]
    public void Cells_format_times_rates_and_errors_invariantly()
    {
        string[] cells = CudaTimingTable.Cells(Ok);
        Assert.Equal(CudaTimingTable.Header.Count, cells.Length);
        Assert.Equal(["sgemm NN", "1024x1024x1024", "812.5", "0.1234", "0.1200", "41", "25.50", "24.00", "20",
            "206.65", "17400", "84.2", "GFLOP/s", "3.2E-4", "2.0E-3", "C abs", "ok"], cells);
    }

    [Fact]
    public void A_failed_row_shows_dashes_and_its_failure_in_markdown()
    {
        var failed = CudaTimingRow.Failed("rq iterate x10", "B64 d1152", "check: CudaException: launch | failed");
        string[] cells = CudaTimingTable.Cells(failed);
        Assert.Equal("FAILED", cells[^1]);
        Assert.Equal("-", cells[3]);

        string md = CudaTimingTable.Markdown(Report(Ok, failed));
        Assert.Contains("| kernel | shape | first ms |", md, StringComparison.Ordinal);
        Assert.Contains("| sgemm NN | 1024x1024x1024 | 812.5 |", md, StringComparison.Ordinal);
        Assert.Contains("FAILED: check: CudaException: launch \\| failed |", md, StringComparison.Ordinal);
        Assert.Contains("- device: H-test", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_the_rows_in_camel_case_and_survives_an_infinite_error()
    {
        CudaTimingRow nan = Ok with { MaxError = double.PositiveInfinity, Agrees = false };
        string json = JsonSerializer.Serialize(Report(Ok, nan), CudaTimingJsonContext.Default.CudaTimingReport);
        using var doc = JsonDocument.Parse(json);
        JsonElement rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal(0.1234, rows[0].GetProperty("gpuMedianMs").GetDouble());
        Assert.Equal("ok", rows[0].GetProperty("status").GetString());
        Assert.Equal("Infinity", rows[1].GetProperty("maxError").GetString());
        Assert.Equal("MISMATCH", rows[1].GetProperty("status").GetString());
        Assert.Equal(16, doc.RootElement.GetProperty("processorCount").GetInt32());
    }

    private static CudaTimingReport Report(params CudaTimingRow[] rows) =>
        new("H-test", "H-test", 90, 132, 1L << 37, "libnvrtc.so.12", "12.4", 16, 16, "Linux x64", 20, ["sgemm"],
            ["a note"], rows);
}

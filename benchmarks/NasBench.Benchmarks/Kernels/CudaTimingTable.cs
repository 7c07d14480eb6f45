using System.Globalization;
using System.Text;

namespace NasBench.Benchmarks.Kernels;

/// <summary>The cells of <c>cuda-time</c>'s table, laid out as fixed-width text (stdout, printed row by row as each
/// is measured) or as Markdown (<c>--markdown</c>): one formatting for both, so the two never disagree.</summary>
public static class CudaTimingTable
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "kernel", "shape", "first ms", "GPU med ms", "GPU min ms", "calls", "CPU med ms", "CPU min ms", "CPU reps",
        "CPU/GPU", "GPU rate", "CPU rate", "unit", "max error", "tolerance", "of", "check",
    ];

    // Text column widths; negative = left-aligned (names), positive = right-aligned (numbers).
    private static readonly int[] Widths = [-14, -22, 9, 10, 10, 6, 10, 10, 8, 8, 9, 9, -9, 9, 9, -10, -8];

    /// <summary>A row's cells in <see cref="Header"/> order; "-" where nothing was measured, and "*" after the calls
    /// where every call synchronises by itself.</summary>
    public static string[] Cells(CudaTimingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            row.Kernel,
            row.Shape,
            Ms(row.FirstCallMs),
            Ms(row.GpuMedianMs),
            Ms(row.GpuMinMs),
            row.GpuCallsPerBatch == 0 ? "-" : Invariant($"{row.GpuCallsPerBatch}{(row.GpuSynchronisesEachCall ? "*" : "")}"),
            Ms(row.CpuMedianMs),
            Ms(row.CpuMinMs),
            row.CpuReps == 0 ? "-" : Invariant($"{row.CpuReps}"),
            row.CpuOverGpu is { } ratio ? Invariant($"{ratio:F2}") : "-",
            Rate(row.GpuRate),
            Rate(row.CpuRate),
            row.RateUnit ?? "-",
            Error(row.MaxError),
            Error(row.Tolerance),
            row.ErrorOutput is null ? "-" : $"{row.ErrorOutput} {(row.RelativeError == true ? "rel" : "abs")}",
            row.Status,
        ];
    }

    /// <summary>Cells padded to the text widths, two spaces apart.</summary>
    public static string TextLine(IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            int width = i < Widths.Length ? Widths[i] : 0;
            line.Append(i == 0 ? "" : "  ");
            line.Append(width < 0 ? cells[i].PadRight(-width) : cells[i].PadLeft(width));
        }
        return line.ToString().TrimEnd();
    }

    /// <summary>The report as Markdown: the device and host as a list, the notes, then the table; a failed row's
    /// check cell carries its failure.</summary>
    public static string Markdown(CudaTimingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# cuda-time");
        md.AppendLine();
        md.AppendLine(Invariant($"- device: {report.Device}"));
        md.AppendLine(Invariant($"- NVRTC: {report.NvrtcVersion ?? "?"} ({report.NvrtcLibrary ?? "?"})"));
        md.AppendLine(Invariant(
            $"- host: {report.ProcessorCount} logical processors, CPU kernels on {report.CpuThreads} threads, {report.Os}"));
        md.AppendLine(Invariant($"- REPS {report.Reps}, kernels {string.Join(",", report.Kernels)}"));
        foreach (string note in report.Notes)
        {
            md.AppendLine($"- {note}");
        }
        md.AppendLine();
        md.AppendLine($"| {string.Join(" | ", Header)} |");
        md.AppendLine($"|{string.Concat(Header.Select((_, i) => Widths[i] < 0 ? " --- |" : " ---: |"))}");
        foreach (CudaTimingRow row in report.Rows)
        {
            string[] cells = Cells(row);
            if (row.Failure is not null)
            {
                cells[^1] = $"FAILED: {row.Failure}";
            }
            md.AppendLine($"| {string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))} |");
        }
        return md.ToString();
    }

    private static string Ms(double? ms) => ms switch
    {
        null => "-",
        >= 100 => Invariant($"{ms:F1}"),
        >= 10 => Invariant($"{ms:F2}"),
        >= 1 => Invariant($"{ms:F3}"),
        >= 0.01 => Invariant($"{ms:F4}"),
        _ => Invariant($"{ms:F5}"),
    };

    private static string Rate(double? rate) => rate switch
    {
        null => "-",
        >= 100 => Invariant($"{rate:F0}"),
        >= 1 => Invariant($"{rate:F1}"),
        _ => Invariant($"{rate:F3}"),
    };

    private static string Error(double? error) => error switch
    {
        null => "-",
        0 => "0",
        _ => Invariant($"{error:0.0E+0}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

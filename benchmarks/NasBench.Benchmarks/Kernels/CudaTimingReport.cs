namespace NasBench.Benchmarks.Kernels;

/// <summary>A whole <c>cuda-time</c> run, as <c>--json</c> writes it: the device and host it ran on, how it timed,
/// and its rows.</summary>
/// <param name="Device">The device's one-line description (model, sm, SMs, memory, driver).</param>
/// <param name="ComputeCapability">10·major + minor, e.g. 90.</param>
/// <param name="NvrtcLibrary">The NVRTC library file that loaded.</param>
/// <param name="ProcessorCount">Environment.ProcessorCount on the host.</param>
/// <param name="CpuThreads">Threads the CPU kernels ran on.</param>
/// <param name="Notes">How the columns were measured, as printed above the table.</param>
public sealed record CudaTimingReport(
    string Device,
    string Model,
    int ComputeCapability,
    int Multiprocessors,
    long MemoryBytes,
    string? NvrtcLibrary,
    string? NvrtcVersion,
    int ProcessorCount,
    int CpuThreads,
    string Os,
    int Reps,
    IReadOnlyList<string> Kernels,
    IReadOnlyList<string> Notes,
    IReadOnlyList<CudaTimingRow> Rows);

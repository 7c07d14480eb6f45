namespace NasBench.Benchmarks.Kernels;

/// <summary>One kernel on one shape in <c>cuda-time</c>: GPU and CPU times in milliseconds per call, rates, and the
/// largest disagreement between the two results. Null values were not measured (the row failed first).</summary>
/// <param name="FirstCallMs">Building the CUDA wrapper (NVRTC compile and module load, for the first shape of each
/// <c>.cu</c> file) plus the first call and a synchronise.</param>
/// <param name="GpuCallsPerBatch">Calls launched back to back before each synchronise; a GPU time is the batch's
/// wall time over this.</param>
/// <param name="GpuSynchronisesEachCall">The CUDA call reads a result back, so each call synchronises anyway.</param>
/// <param name="CpuReps">CPU calls timed: REPS, or fewer (at least 3) where the CPU is slow.</param>
/// <param name="CpuOverGpu">CPU median over GPU median: how many times faster the GPU is.</param>
/// <param name="Failure">The phase and exception that stopped the row, or null.</param>
public sealed record CudaTimingRow(
    string Kernel,
    string Shape,
    double? FirstCallMs,
    double? GpuMedianMs,
    double? GpuMinMs,
    int GpuReps,
    int GpuCallsPerBatch,
    bool GpuSynchronisesEachCall,
    double? CpuMedianMs,
    double? CpuMinMs,
    int CpuReps,
    double? CpuOverGpu,
    string? RateUnit,
    double? GpuRate,
    double? CpuRate,
    string? ErrorOutput,
    double? MaxError,
    double? Tolerance,
    bool? RelativeError,
    bool Agrees,
    string? Failure)
{
    /// <summary>Timed and within tolerance.</summary>
    public bool Passed => Failure is null && Agrees;

    /// <summary>"ok", "MISMATCH" (outside tolerance) or "FAILED" (an exception; see <see cref="Failure"/>).</summary>
    public string Status => Failure is not null ? "FAILED" : Agrees ? "ok" : "MISMATCH";

    public static CudaTimingRow Failed(string kernel, string shape, string failure) =>
        new(kernel, shape, null, null, null, 0, 0, false, null, null, 0, null, null, null, null, null, null, null,
            null, false, failure);
}

using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>A fact that runs only where a CUDA device is found; elsewhere it is skipped with the probe's reason
/// (xunit 2 has no run-time skip, so the decision is made when the attribute is built).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (NoDeviceReason() is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Null when a CUDA device can run work, else why not.</summary>
    internal static string? NoDeviceReason() =>
        CudaDevice.KernelsUnavailableReason() is { } reason ? $"No CUDA device: {reason}" : null;
}

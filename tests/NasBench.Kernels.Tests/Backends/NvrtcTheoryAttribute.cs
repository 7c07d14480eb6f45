using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>A theory that needs only NVRTC (no GPU); skipped, with the libraries tried, when no libnvrtc loads.
/// Install it with <c>.ci/install-nvrtc.sh</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NvrtcTheoryAttribute : TheoryAttribute
{
    public NvrtcTheoryAttribute()
    {
        if (!Nvrtc.IsAvailable)
        {
            Skip = $"NVRTC not installed (run .ci/install-nvrtc.sh): {Nvrtc.UnavailableReason}";
        }
    }
}

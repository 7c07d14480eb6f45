using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>A fact that needs only NVRTC (no GPU); see <see cref="NvrtcTheoryAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NvrtcFactAttribute : FactAttribute
{
    public NvrtcFactAttribute()
    {
        if (!Nvrtc.IsAvailable)
        {
            Skip = $"NVRTC not installed (run .ci/install-nvrtc.sh): {Nvrtc.UnavailableReason}";
        }
    }
}

using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Tests;

/// <summary>A fact that runs only where 512-bit vectors are accelerated; see <see cref="Vector512TheoryAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class Vector512FactAttribute : FactAttribute
{
    public Vector512FactAttribute()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Skip = "512-bit vectors are not accelerated on this CPU.";
        }
    }
}

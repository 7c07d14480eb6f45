using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Tests;

/// <summary>A theory that runs only where 512-bit vectors are accelerated (the kernels that need them are not taken
/// elsewhere); skipped otherwise, decided when the attribute is built as xunit 2 has no run-time skip.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class Vector512TheoryAttribute : TheoryAttribute
{
    public Vector512TheoryAttribute()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Skip = "512-bit vectors are not accelerated on this CPU.";
        }
    }
}

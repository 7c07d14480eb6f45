using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary>The vector width a kernel runs at. <see cref="Best"/> picks the widest the hardware accelerates.</summary>
/// <remarks>Kernels take it as an (internal) argument instead of reading a global switch, so tests can run every
/// path side by side on one machine without racing each other.</remarks>
internal enum SimdWidth
{
    Best = 0,
    Scalar = 1,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>Resolves <see cref="SimdWidth.Best"/> and clamps a requested width to what the hardware accelerates.</summary>
internal static class SimdWidthResolver
{
    public static SimdWidth Resolve(SimdWidth requested)
    {
        if ((requested is SimdWidth.Best or SimdWidth.V512) && Vector512.IsHardwareAccelerated)
        {
            return SimdWidth.V512;
        }
        if ((requested is SimdWidth.Best or SimdWidth.V512 or SimdWidth.V256) && Vector256.IsHardwareAccelerated)
        {
            return SimdWidth.V256;
        }
        if (requested != SimdWidth.Scalar && Vector128.IsHardwareAccelerated)
        {
            return SimdWidth.V128;
        }
        return SimdWidth.Scalar;
    }
}

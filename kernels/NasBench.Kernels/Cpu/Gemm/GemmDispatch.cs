using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Run-time choice of the SGEMM path, and which paths this machine can run at all.</summary>
internal static class GemmDispatch
{
    /// <summary>True where vector FMA is a single instruction; without it <c>FusedMultiplyAdd</c> is emulated per
    /// element and would be slower than a separate multiply and add.</summary>
    internal static readonly bool HasFma = Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>The path <see cref="GemmPath.Auto"/> resolves to.</summary>
    internal static readonly GemmPath Best = Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated && HasFma ? GemmPath.Vector256
        : Vector128.IsHardwareAccelerated ? GemmPath.Vector128
        : GemmPath.Scalar;

    /// <summary>Every concrete path this machine accelerates (tests force each one).</summary>
    internal static IReadOnlyList<GemmPath> Supported { get; } = BuildSupported();

    internal static GemmPath Resolve(GemmPath path)
    {
        if (path == GemmPath.Auto)
        {
            return Best;
        }
        if (!Supported.Contains(path))
        {
            throw new PlatformNotSupportedException($"SGEMM path {path} is not accelerated on this CPU.");
        }
        return path;
    }

    private static GemmPath[] BuildSupported()
    {
        var paths = new List<GemmPath> { GemmPath.Scalar };
        if (Vector128.IsHardwareAccelerated)
        {
            paths.Add(GemmPath.Vector128);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            paths.Add(GemmPath.Vector256);
        }
        if (Vector512.IsHardwareAccelerated)
        {
            paths.Add(GemmPath.Vector512);
        }
        return [.. paths];
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary>512-bit masks of the first n lanes, for the masked loads and stores (<c>Avx512F.MaskLoad</c>,
/// <c>MaskStore</c>) that finish short rows and runs without a scalar tail.</summary>
internal static class LaneMask
{
    /// <summary>Lanes [0, n) set (all for n ≥ 16, none for n ≤ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> First(int n) => FirstInt(n).AsSingle();

    /// <summary><see cref="First"/> as an int mask (for int loads and stores).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> FirstInt(int n) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n));
}

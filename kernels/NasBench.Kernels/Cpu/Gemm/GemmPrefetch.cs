using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Software prefetch of a C tile (x86 only; a no-op elsewhere).</summary>
internal static unsafe class GemmPrefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(float* c, nint ldc, int rows, int cols)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (int r = 0; r < rows; r++, c += ldc)
        {
            // One touch per 64-byte line, plus the last element in case the row straddles one more line.
            for (int j = 0; j < cols; j += 16)
            {
                Sse.Prefetch0(c + j);
            }
            Sse.Prefetch0(c + cols - 1);
        }
    }
}

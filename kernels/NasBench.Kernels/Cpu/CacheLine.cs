using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NasBench.Kernels.Cpu;

/// <summary>The 64-byte cache line (one 512-bit vector) that kernel buffers and tensor data start on: a 512-bit load
/// from anywhere else touches two lines.</summary>
public static class CacheLine
{
    public const int Bytes = 64;

    public const int Floats = Bytes / sizeof(float);

    /// <summary>The first index of <paramref name="pinned"/> whose element starts a cache line. The array must not
    /// move (pinned object heap), or the answer goes stale.</summary>
    public static int FirstAlignedIndex(float[] pinned)
    {
        nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((-address & (Bytes - 1)) / sizeof(float));
    }
}

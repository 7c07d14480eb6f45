using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Per-thread pack buffers for SGEMM: packed A block, packed B block and one edge tile.</summary>
/// <remarks>Buffers live on the pinned object heap (stable addresses, no finaliser) and are cached per thread, so a
/// steady stream of calls allocates nothing. <see cref="Rent"/> takes the cached instance away while in use, which
/// keeps a nested call on the same thread (a kernel calling SGEMM inside a parallel region) from sharing it.</remarks>
internal sealed unsafe class GemmScratch
{
    /// <summary>Floats in the edge tile: at least the largest micro-kernel tile (8 × 48).</summary>
    public const int TileFloats = 512;

    private const int AlignFloats = CacheLine.Floats;

    [ThreadStatic]
    private static GemmScratch? t_cached;

    private float[] _a = [];
    private float[] _b = [];
    private readonly float[] _tile = GC.AllocateUninitializedArray<float>(TileFloats + AlignFloats, pinned: true);

    public float* A { get; private set; }

    public float* B { get; private set; }

    public float* Tile => Align(_tile);

    public static GemmScratch Rent(int aFloats, int bFloats)
    {
        var scratch = t_cached ?? new GemmScratch();
        t_cached = null;
        scratch.Ensure(aFloats, bFloats);
        return scratch;
    }

    public static void Return(GemmScratch scratch) => t_cached = scratch;

    /// <summary>The packed B block that all threads of one large product read (<see cref="GemmDriver"/>'s shared-B
    /// path); one cached instance per process, taken while in use.</summary>
    private static GemmScratch? s_shared;

    public static GemmScratch RentShared(int bFloats)
    {
        var scratch = Interlocked.Exchange(ref s_shared, null) ?? new GemmScratch();
        scratch.Ensure(0, bFloats);
        return scratch;
    }

    public static void ReturnShared(GemmScratch scratch) => Volatile.Write(ref s_shared, scratch);

    private void Ensure(int aFloats, int bFloats)
    {
        if (_a.Length < aFloats + AlignFloats)
        {
            _a = GC.AllocateUninitializedArray<float>(aFloats + AlignFloats, pinned: true);
        }
        if (_b.Length < bFloats + AlignFloats)
        {
            _b = GC.AllocateUninitializedArray<float>(bFloats + AlignFloats, pinned: true);
        }
        A = Align(_a);
        B = Align(_b);
    }

    /// <summary>64-byte aligned start inside a pinned array, so packed panels start on cache lines.</summary>
    private static float* Align(float[] pinned) => (float*)Unsafe.AsPointer(
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(pinned), CacheLine.FirstAlignedIndex(pinned)));
}

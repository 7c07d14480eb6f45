namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Cache-blocking sizes and the parallel split, shared by every micro-kernel path.</summary>
/// <remarks>
/// Goto/BLIS roles on Zen 4 (32 KiB L1d, 1 MiB L2 per core, 32 MiB L3): a KC×NR micro-panel of B is reused across
/// every MR-row panel of the A block, an MC×KC block of A stays in L2, a KC×NC block of B in L3. KC also sets how
/// often a C tile is loaded and stored (once per KC steps). The values are upper bounds: blocks are evened out so a
/// dimension splits into equal parts rather than a full block and a sliver. Settable so a tuning run can sweep them;
/// results depend on nothing but the problem (the driver's remarks say why the thread count cannot change them).
/// </remarks>
internal static class GemmBlocking
{
    /// <summary>Largest k block.</summary>
    public static int Kc { get; set; } = 256;

    /// <summary>Largest m block (rounded down to the micro-kernel's MR).</summary>
    public static int Mc { get; set; } = 192;

    /// <summary>Largest n block (rounded down to the micro-kernel's NR).</summary>
    public static int Nc { get; set; } = 2048;

    /// <summary>Chunks with at most this many rows read full B panels in place instead of packing them: with few A
    /// panels to reuse it, copying B costs a large share of the multiply (B is read only m/MR times).</summary>
    public static int DirectBMaxRows { get; set; } = 64;

    /// <summary>Multiply-adds below which a product runs on the calling thread only (dispatch would cost more).</summary>
    public static long MinChunkWork { get; set; } = 1 << 19;

    /// <summary>Most chunks one product with several threads is cut into (one thread runs one chunk): chunks are the
    /// unit of load balance on a shared machine, and each extra chunk re-packs a slice of A or B
    /// (<see cref="GemmDriver"/>'s remarks give the measurements).</summary>
    public static int MaxChunks { get; set; } = 4;

    /// <summary>Multiply-adds from which a product with at least eight m blocks packs each B block once for all
    /// threads and hands out its m blocks one by one (<see cref="GemmDriver"/>'s shared-B path).</summary>
    public static long SharedBMinWork { get; set; } = 1L << 27;

    /// <summary>Threads from which the shared-B path is taken. Below it the grid's chunks keep every thread busy on
    /// their own pack buffers, and on the 2-core Zen 5 guest the grid was 1.10–1.15× faster at 2 threads (2048³ and
    /// 1536³, three alternating pairs; equal at 1 thread). The shared-B path was added on a Xeon guest whose second
    /// vCPU was often taken by the host for minutes, where it was 0.97–1.14× the grid.</summary>
    public static int SharedBMinThreads { get; set; } = 3;

    /// <summary>Splits <paramref name="total"/> into blocks of at most <paramref name="max"/> that are multiples of
    /// <paramref name="unit"/> and as equal as possible; returns the block size.</summary>
    public static int Even(int total, int max, int unit)
    {
        max = Math.Max(unit, max / unit * unit);
        int blocks = (total + max - 1) / max;
        int size = (total + blocks - 1) / blocks;
        return Math.Min(max, (size + unit - 1) / unit * unit);
    }
}

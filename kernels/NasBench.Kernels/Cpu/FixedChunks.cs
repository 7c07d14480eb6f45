namespace NasBench.Kernels.Cpu;

/// <summary>How many independent items (pooling planes, batch-norm channels) go into one <see cref="CpuParallel"/>
/// chunk. The answer depends only on the problem size, so the work split, and with it every result, is the same at
/// any thread count.</summary>
internal static class FixedChunks
{
    /// <summary>About 128 KiB of fp32 per chunk: big enough that dispatch cost vanishes, small enough that the
    /// DARTS shapes still cut into tens of chunks for two threads to share.</summary>
    public const int TargetElements = 1 << 15;

    /// <summary>Items per chunk when each item touches <paramref name="elementsPerItem"/> elements.</summary>
    public static int ItemsPerChunk(long elementsPerItem) =>
        (int)Math.Max(1, TargetElements / Math.Max(1, elementsPerItem));

    public static int ChunkCount(int items, int itemsPerChunk) => (items + itemsPerChunk - 1) / itemsPerChunk;
}

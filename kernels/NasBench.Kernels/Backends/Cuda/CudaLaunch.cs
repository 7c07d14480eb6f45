namespace NasBench.Kernels.Backends.Cuda;

/// <summary>Grid and block dimensions and dynamic shared memory of one kernel launch.</summary>
public readonly record struct CudaLaunch(
    uint GridX, uint GridY, uint GridZ, uint BlockX, uint BlockY, uint BlockZ, uint SharedBytes = 0)
{
    /// <summary>A 1-D launch with at least <paramref name="threads"/> threads in blocks of
    /// <paramref name="blockSize"/>, the grid capped at <paramref name="maxBlocks"/> (kernels then use grid-stride loops).</summary>
    public static CudaLaunch Linear(long threads, int blockSize = 256, int maxBlocks = 65535, int sharedBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        long blocks = Math.Clamp((threads + blockSize - 1) / blockSize, 1, maxBlocks);
        return new CudaLaunch((uint)blocks, 1, 1, (uint)blockSize, 1, 1, (uint)sharedBytes);
    }

    /// <summary>A 1-D grid of exactly <paramref name="blocks"/> blocks of <paramref name="blockSize"/> threads.
    /// </summary>
    public static CudaLaunch Blocks(int blocks, int blockSize, int sharedBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return new CudaLaunch((uint)blocks, 1, 1, (uint)blockSize, 1, 1, (uint)sharedBytes);
    }
}

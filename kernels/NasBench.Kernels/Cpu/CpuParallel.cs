namespace NasBench.Kernels.Cpu;

/// <summary>
/// The one place CPU kernels go parallel. Work is cut into a fixed number of chunks that depends only on the problem
/// size, never on how many threads run them, so every kernel gives bit-identical results at 1 and at N threads.
/// </summary>
public static class CpuParallel
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Upper bound on worker threads used by CPU kernels (1 = run inline on the caller).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
    }

    /// <summary>Runs <paramref name="body"/> for every chunk index in [0, chunkCount).</summary>
    /// <remarks>Chunks run inline when one thread is allowed or there is a single chunk: no delegate dispatch cost.</remarks>
    public static void For(int chunkCount, Action<int> body)
    {
        if (chunkCount <= 0)
        {
            return;
        }
        int threads = Math.Min(_maxThreads, chunkCount);
        if (threads <= 1)
        {
            for (int i = 0; i < chunkCount; i++)
            {
                body(i);
            }
            return;
        }
        Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>Scopes a thread limit and restores the previous one on dispose (tests and benchmarks).</summary>
    public static IDisposable Limit(int threads)
    {
        int previous = _maxThreads;
        MaxThreads = threads;
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => _maxThreads = previous;
    }
}

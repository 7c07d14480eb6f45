namespace NasBench.Kernels.Cpu;

/// <summary>
/// The one place CPU kernels go parallel. Work is cut into a fixed number of chunks that depends only on the problem
/// size, never on how many threads run them, so every kernel gives bit-identical results at 1 and at N threads. (The
/// SGEMM grid is the one exception allowed: its chunk count follows <see cref="AvailableThreads"/>, and its chunk
/// edges fall where they change no element's arithmetic.)
/// </summary>
public static class CpuParallel
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Set while this thread runs a chunk of a parallel <see cref="For"/>.</summary>
    [ThreadStatic]
    private static bool t_insideChunk;

    /// <summary>Upper bound on worker threads used by CPU kernels (1 = run inline on the caller).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
    }

    /// <summary>Threads a <see cref="For"/> called here could use: 1 inside a chunk of another loop (nested loops run
    /// inline), else <see cref="MaxThreads"/>. For kernels whose chunking may follow it because their chunks' edges
    /// leave every output's arithmetic unchanged (SGEMM's grid; see <c>GemmDriver</c>).</summary>
    public static int AvailableThreads => t_insideChunk ? 1 : _maxThreads;

    /// <summary>Runs <paramref name="body"/> for every chunk index in [0, chunkCount).</summary>
    /// <remarks>Chunks run inline when one thread is allowed or there is a single chunk: no delegate dispatch cost.
    /// A <see cref="For"/> nested in a chunk of another also runs inline (e.g. the per-image GEMMs of a convolution
    /// that is already parallel over images): the outer loop has the threads, and nesting would only oversubscribe
    /// the cores. Chunking is fixed either way, so results do not change.</remarks>
    public static void For(int chunkCount, Action<int> body)
    {
        if (chunkCount <= 0)
        {
            return;
        }
        int threads = t_insideChunk ? 1 : Math.Min(_maxThreads, chunkCount);
        if (threads <= 1)
        {
            for (int i = 0; i < chunkCount; i++)
            {
                body(i);
            }
            return;
        }
        var workers = Workers;
        if (threads - 1 <= workers.Count && Monitor.TryEnter(workers))
        {
            try
            {
                workers.Run(chunkCount, threads - 1, body);
            }
            finally
            {
                Monitor.Exit(workers);
            }
            return;
        }
        // The workers are busy with another caller's loop (tests run in parallel), or more threads were asked for
        // than there are cores.
        Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => RunChunk(body, i));
    }

    /// <summary>The process's workers, one per core besides the caller, started on first use.</summary>
    private static SpinningWorkers Workers => LazyInitializer.EnsureInitialized(ref s_workers,
        () => new SpinningWorkers(Math.Max(0, Environment.ProcessorCount - 1)));

    private static SpinningWorkers? s_workers;

    /// <summary>Runs one chunk marked as inside a parallel loop, so loops nested in it run inline.</summary>
    internal static void RunChunk(Action<int> body, int chunk)
    {
        t_insideChunk = true;
        try
        {
            body(chunk);
        }
        finally
        {
            t_insideChunk = false;
        }
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

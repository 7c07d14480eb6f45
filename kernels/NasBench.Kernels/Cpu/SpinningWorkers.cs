using System.Diagnostics;

namespace NasBench.Kernels.Cpu;

/// <summary>A fixed set of worker threads that run the chunks of one parallel loop at a time, waiting for the next
/// loop by spinning briefly before they sleep (OpenMP's and OpenBLAS's model).</summary>
/// <remarks>
/// A supernet step makes about 4 200 parallel loops of tens of microseconds to milliseconds each. On
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> each cost 8–14 µs of dispatch even with a hot
/// thread pool. Worse, a pool thread that had gone to sleep joined late, and the caller then ran most chunks alone.
/// SGEMM at 2 threads showed it as medians far above the minimum. Here a worker that finished a loop spins for
/// <see cref="SpinTicks"/> watching for the next one and only then blocks.
/// <para>Each thread starts on its own contiguous share of the chunks and then helps with the others' (see
/// <see cref="Job"/>), so who runs which chunk varies with timing, but every chunk runs exactly once and writes only
/// its own outputs: results are the same as on one thread. One loop uses the workers at a time;
/// <see cref="CpuParallel"/> sends a loop that arrives while another runs (tests run in parallel) to
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>.</para>
/// </remarks>
internal sealed class SpinningWorkers
{
    /// <summary>About 50 µs: longer than the gap between consecutive kernels of a training step, short enough that an
    /// idle process gives the core back at once.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private readonly object _gate = new();
    private Job? _job;

    public SpinningWorkers(int workers)
    {
        Count = workers;
        for (int w = 0; w < workers; w++)
        {
            int index = w;
            var thread = new Thread(() => Work(index))
            {
                IsBackground = true,
                Name = $"NasBench CPU worker {w + 1}",
            };
            thread.Start();
        }
    }

    /// <summary>Worker threads besides the caller.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="body"/> for every chunk in [0, chunkCount) on the caller and up to
    /// <paramref name="helpers"/> workers; returns when all chunks are done. Exceptions from chunks are rethrown
    /// together as an <see cref="AggregateException"/>, as <see cref="Parallel.For(int, int, Action{int})"/> does.
    /// </summary>
    /// <remarks>The caller must hold the workers (one loop at a time).</remarks>
    public void Run(int chunkCount, int helpers, Action<int> body)
    {
        var job = new Job(body, chunkCount, helpers);
        lock (_gate)
        {
            _job = job;
            Monitor.PulseAll(_gate);
        }
        job.RunChunks(0);
        var wait = new SpinWait();
        while (Volatile.Read(ref job.Remaining) > 0)
        {
            wait.SpinOnce(sleep1Threshold: -1);
        }
        if (job.Errors is { } errors)
        {
            throw new AggregateException(errors);
        }
    }

    private void Work(int index)
    {
        Job? seen = null;
        while (true)
        {
            var job = Volatile.Read(ref _job);
            if (ReferenceEquals(job, seen))
            {
                long start = Stopwatch.GetTimestamp();
                while (ReferenceEquals(job, seen) && Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(20);
                    job = Volatile.Read(ref _job);
                }
                if (ReferenceEquals(job, seen))
                {
                    lock (_gate)
                    {
                        while (ReferenceEquals(_job, seen))
                        {
                            Monitor.Wait(_gate);
                        }
                        job = _job;
                    }
                }
            }
            seen = job;
            if (job is not null && index < job.Helpers)
            {
                job.RunChunks(index + 1);
            }
        }
    }

    /// <summary>One parallel loop: its body, each participant's share of the chunks and the chunks not yet finished.
    /// </summary>
    /// <remarks>Participant p (the caller is 0, worker w is w + 1) owns the contiguous chunks
    /// [p·n/P, (p+1)·n/P) and runs them first; only then does it take the others' remaining chunks from the front of
    /// their shares. Consecutive kernels chunked the same way (batch norm, depthwise, pooling and the folded sum all
    /// go by channel) so find their inputs in the cache of the core that wrote them. With one shared counter the
    /// chunks of consecutive loops landed on the two cores at random, and every hand-over went through the other
    /// core's cache.</remarks>
    private sealed class Job
    {
        /// <summary>Ints between two participants' cursors: one 64-byte cache line each.</summary>
        private const int CursorStride = 16;

        private readonly Action<int> _body;
        private readonly int _participants;
        private readonly int _chunkCount;
        private readonly int[] _cursors;
        private readonly object _errorsLock = new();

        public Job(Action<int> body, int chunkCount, int helpers)
        {
            _body = body;
            _chunkCount = chunkCount;
            _participants = helpers + 1;
            _cursors = new int[(_participants + 1) * CursorStride];
            for (int p = 0; p < _participants; p++)
            {
                _cursors[(p + 1) * CursorStride] = ShareStart(p);
            }
            Remaining = chunkCount;
            Helpers = helpers;
        }

        /// <summary>Chunks not yet finished; the caller waits for 0.</summary>
        public int Remaining;

        public int Helpers { get; }

        public List<Exception>? Errors { get; private set; }

        private int ShareStart(int participant) => (int)((long)participant * _chunkCount / _participants);

        /// <summary>Claims and runs chunks, its own share first, until none is left. A worker that wakes after the
        /// loop ended finds every cursor past its share and returns: the loop's state lives in this object, never
        /// reused.</summary>
        public void RunChunks(int participant)
        {
            // Finished chunks are counted locally and published once: one contended write per thread and loop
            // instead of one per chunk (the counters' cache line moves between cores on every write).
            int done = 0;
            for (int k = 0; k < _participants; k++)
            {
                int owner = (participant + k) % _participants;
                int end = ShareStart(owner + 1);
                ref int cursor = ref _cursors[(owner + 1) * CursorStride];
                while (true)
                {
                    int chunk = Interlocked.Increment(ref cursor) - 1;
                    if (chunk >= end)
                    {
                        break;
                    }
                    try
                    {
                        CpuParallel.RunChunk(_body, chunk);
                    }
                    catch (Exception e)
                    {
                        lock (_errorsLock)
                        {
                            (Errors ??= []).Add(e);
                        }
                    }
                    done++;
                }
            }
            if (done > 0)
            {
                Interlocked.Add(ref Remaining, -done);
            }
        }
    }
}

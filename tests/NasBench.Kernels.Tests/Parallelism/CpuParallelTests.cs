using NasBench.Kernels.Cpu;
using NasBench.Kernels.Tests.Gemm;

namespace NasBench.Kernels.Tests.Parallelism;

/// <summary><see cref="CpuParallel.For"/> on its spinning workers: every chunk exactly once, errors surfaced, nested
/// loops inline, concurrent callers served, and no hang.</summary>
[Collection(GemmCollection.Name)]
public class CpuParallelTests
{
    [Fact]
    public void Every_chunk_runs_exactly_once_over_many_loops()
    {
        using var limit = CpuParallel.Limit(2);
        for (int loop = 0; loop < 2000; loop++)
        {
            int chunks = loop % 97;
            var hits = new int[chunks];
            CpuParallel.For(chunks, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void Each_thread_starts_on_its_own_contiguous_share()
    {
        // The caller owns the first half of the chunks and a worker the second; each runs its own share first, so
        // consecutive loops chunked alike keep their data on one core. Either may find its share already taken by
        // the other (a worker that wakes late, a caller preempted right after it posted the loop) and then runs
        // nothing, since the other finished its own share before it stole. Loops that other test classes' loops
        // pushed onto the thread pool (the workers were busy) are not the workers' schedule and are not checked.
        using var limit = CpuParallel.Limit(2);
        int caller = Environment.CurrentManagedThreadId;
        int checkedLoops = 0;
        for (int loop = 0; loop < 200; loop++)
        {
            const int chunks = 40;
            var first = new System.Collections.Concurrent.ConcurrentDictionary<int, (int Chunk, string? Name)>();
            CpuParallel.For(chunks, i =>
            {
                first.TryAdd(Environment.CurrentManagedThreadId, (i, Thread.CurrentThread.Name));
                Thread.SpinWait(200);
            });
            var others = first.Where(t => t.Key != caller).Select(t => t.Value).ToList();
            if (others.Count == 0 || others.Any(o => o.Name?.StartsWith("NasBench CPU worker") != true))
            {
                continue;
            }
            checkedLoops++;
            if (first.TryGetValue(caller, out var callerFirst))
            {
                Assert.InRange(callerFirst.Chunk, 0, (chunks / 2) - 1);
            }
            Assert.All(others, o => Assert.InRange(o.Chunk, chunks / 2, chunks - 1));
        }
        Assert.True(checkedLoops > 0, "no loop of 200 ran on the spinning workers");
    }

    [Fact]
    public void A_failing_chunk_surfaces_as_an_AggregateException_and_the_workers_stay_usable()
    {
        using var limit = CpuParallel.Limit(2);
        var ran = new int[40];
        var e = Assert.Throws<AggregateException>(() => CpuParallel.For(40, i =>
        {
            Interlocked.Increment(ref ran[i]);
            if (i == 7 || i == 31)
            {
                throw new InvalidOperationException($"chunk {i}");
            }
        }));
        Assert.Equal(2, e.InnerExceptions.Count);
        Assert.All(ran, r => Assert.Equal(1, r)); // the other chunks still ran
        int sum = 0;
        CpuParallel.For(10, i => Interlocked.Add(ref sum, i));
        Assert.Equal(45, sum);
    }

    [Fact]
    public void A_loop_inside_a_chunk_runs_inline_on_that_chunks_thread()
    {
        using var limit = CpuParallel.Limit(2);
        var mismatches = 0;
        CpuParallel.For(8, _ =>
        {
            int outer = Environment.CurrentManagedThreadId;
            CpuParallel.For(16, _ =>
            {
                if (Environment.CurrentManagedThreadId != outer)
                {
                    Interlocked.Increment(ref mismatches);
                }
            });
        });
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task Concurrent_callers_all_finish()
    {
        using var limit = CpuParallel.Limit(2);
        long total = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int loop = 0; loop < 300; loop++)
            {
                CpuParallel.For(24, i => Interlocked.Add(ref total, i));
            }
        })).ToArray();
        var all = Task.WhenAll(callers);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))));
        await all;
        Assert.Equal(4L * 300 * (23 * 24 / 2), total);
    }

    [Fact]
    public void Work_after_an_idle_pause_still_runs()
    {
        // Longer than the spin phase: the workers must have gone to sleep and be woken again.
        using var limit = CpuParallel.Limit(2);
        for (int round = 0; round < 3; round++)
        {
            Thread.Sleep(20);
            var hits = new int[33];
            CpuParallel.For(33, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }
}

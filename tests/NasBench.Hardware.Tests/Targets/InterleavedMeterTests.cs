using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Tests.Targets;

public class InterleavedMeterTests
{
    /// <summary>No JIT wait (test threads keep the JIT busy) and a short warm-up: the tests check the bookkeeping.
    /// </summary>
    private static readonly InterleavedProtocol Fast = new(Sweeps: 20, RewarmCalls: 2, WarmupCalls: 3,
        MinSampleTime: TimeSpan.FromMilliseconds(0.1));

    [Fact]
    public void Each_workload_gets_its_own_median_in_the_order_given()
    {
        double[] costs = [0.3, 0.15, 0.45];
        var results = InterleavedMeter.Measure([.. costs.Select(c => (Action)(() => KnownCost.Spin(c)))], Fast,
            KnownCost.Clock);
        Assert.Equal(costs.Length, results.Count);
        for (int w = 0; w < costs.Length; w++)
        {
            // A spin cannot end early; it ends late only by the clock's own cost.
            Assert.InRange(results[w].Statistics.MedianMs, costs[w], costs[w] * 1.15);
            Assert.InRange(results[w].EvenSweepsMedianMs, costs[w], costs[w] * 1.2);
            Assert.InRange(results[w].OddSweepsMedianMs, costs[w], costs[w] * 1.2);
            Assert.Equal(Fast.Sweeps, results[w].Statistics.Samples);
        }
    }

    [Fact]
    public void Every_sweep_visits_every_workload_once_in_a_new_order()
    {
        var visits = new List<int>();
        var sweepEnds = new List<int>();
        var workloads = Enumerable.Range(0, 6).Select(w => (Action)(() => visits.Add(w))).ToArray();
        var protocol = Fast with { Sweeps = 8, MinSampleTime = TimeSpan.Zero };
        int before = -1;
        InterleavedMeter.Measure(workloads, protocol, onSweep: done =>
        {
            if (before < 0)
            {
                before = visits.Count - (workloads.Length * (protocol.RewarmCalls + 1));
            }
            sweepEnds.Add(visits.Count);
        });
        Assert.Equal(protocol.Sweeps, sweepEnds.Count);
        var orders = new List<string>();
        int start = before;
        foreach (int end in sweepEnds)
        {
            var sweep = visits.GetRange(start, end - start);
            // Each visit: the re-warm calls and the one timed call, back to back.
            Assert.Equal(workloads.Length * (protocol.RewarmCalls + 1), sweep.Count);
            var order = sweep.Where((_, k) => k % (protocol.RewarmCalls + 1) == 0).ToArray();
            Assert.Equal(Enumerable.Range(0, workloads.Length), order.Order());
            Assert.All(Enumerable.Range(0, sweep.Count), k => Assert.Equal(order[k / (protocol.RewarmCalls + 1)], sweep[k]));
            orders.Add(string.Join(",", order));
            start = end;
        }
        Assert.True(orders.Distinct().Count() > protocol.Sweeps / 2, "the order is shuffled each sweep");
        // Seeded: the same protocol gives the same orders.
        visits.Clear();
        sweepEnds.Clear();
        before = -1;
        InterleavedMeter.Measure(workloads, protocol, onSweep: _ =>
        {
            if (before < 0)
            {
                before = visits.Count - (workloads.Length * (protocol.RewarmCalls + 1));
            }
            sweepEnds.Add(visits.Count);
        });
        Assert.Equal(orders[0], string.Join(",", visits.GetRange(before, sweepEnds[0] - before)
            .Where((_, k) => k % (protocol.RewarmCalls + 1) == 0)));
    }

    [Fact]
    public void A_slow_spell_during_some_sweeps_reaches_every_workload_alike_and_leaves_the_medians()
    {
        // Sweeps 4–8 of 20 run 3× slower for everybody (another job's build): a quarter of each workload's
        // samples, so every median stays at the quiet cost.
        double factor = 1;
        double[] costs = [0.2, 0.3];
        var results = InterleavedMeter.Measure([.. costs.Select(c => (Action)(() => KnownCost.Spin(c * factor)))],
            Fast, KnownCost.Clock, onSweep: done => factor = done is >= 3 and < 8 ? 3 : 1);
        for (int w = 0; w < costs.Length; w++)
        {
            Assert.InRange(results[w].Statistics.MedianMs, costs[w], costs[w] * 1.15);
        }
        Assert.InRange(results[1].Statistics.MedianMs / results[0].Statistics.MedianMs, 1.3, 1.7);
    }

    [Fact]
    public void Each_visit_enters_its_workloads_context_first()
    {
        // Workload w may only run after its own Enter: another workload's context would be a wrong measurement.
        int current = -1, wrong = 0, entered = 0;
        var workloads = Enumerable.Range(0, 4).Select(w => new InterleavedWorkload(() =>
        {
            if (current != w)
            {
                wrong++;
            }
        }, MeasurementClock.Wall, () =>
        {
            current = w;
            entered++;
        })).ToArray();
        var protocol = Fast with { Sweeps = 6, MinSampleTime = TimeSpan.Zero };
        var results = InterleavedMeter.Measure(workloads, protocol);
        Assert.Equal(0, wrong);
        Assert.True(entered >= workloads.Length * protocol.Sweeps, $"entered {entered} times");
        Assert.Equal(4, results.Count);
    }

    [Fact]
    public void Bad_protocols_and_cancellation_are_refused()
    {
        Assert.Empty(InterleavedMeter.Measure(Array.Empty<Action>(), Fast));
        Assert.Throws<ArgumentException>(() => InterleavedMeter.Measure([() => { }], Fast with { Sweeps = 1 }));
        Assert.Throws<ArgumentException>(() => InterleavedMeter.Measure([() => { }], Fast with { RewarmCalls = -1 }));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => InterleavedMeter.Measure([() => { }], Fast,
            cancellationToken: cancelled.Token));
    }

    [Fact]
    public void The_cpu_target_measures_modules_interleaved_and_restores_their_mode()
    {
        var factory = new DartsOperationModules();
        var pool = factory.Build(TestTables.Op("max_pool_3x3", 4, 8));
        var conv = factory.Build(TestTables.Op("sep_conv_5x5", 4, 8));
        var results = CpuTarget.SingleThread().MeasureInterleaved(
            [(pool, [1, 4, 8, 8]), (conv, [1, 4, 8, 8])], Fast with { Sweeps = 6 });
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Statistics.MedianMs > 0));
        // Two separable 5×5 convolutions do more work than a 3×3 max pool.
        Assert.True(results[1].Statistics.MedianMs > results[0].Statistics.MedianMs,
            $"sep_conv_5x5 {results[1].Statistics.MedianMs} ms, max_pool_3x3 {results[0].Statistics.MedianMs} ms");
        Assert.True(pool.IsTraining && conv.IsTraining, "the training flag is restored");
        Assert.Throws<ArgumentException>(() => CpuTarget.AllCores().MeasureInterleaved([(new Identity(), [0, 1])]));
    }
}

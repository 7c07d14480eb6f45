using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Tests.Darts;

/// <summary>The study's bookkeeping on a target of known latency: rounds, medians, re-measurements, calibration,
/// checkpoint resume.</summary>
public sealed class DartsLatencyStudyTests : IDisposable
{
    private static readonly NetworkConfig Small = new(4, 5, InputHeight: 8, InputWidth: 8);

    private readonly string _checkpoint = TestTables.TempFile(".csv");

    public void Dispose() => File.Delete(_checkpoint);

    /// <summary>"Measures" 0.1 ms + 1e-5 ms per parameter, times <see cref="Factor"/> (a busy spell).</summary>
    private sealed class FakeTarget : IInterleavingTarget
    {
        public double Factor { get; set; } = 1;

        public int Calls { get; private set; }

        public string Name => "fake";

        public string Description => "fake";

        public TargetFingerprint Fingerprint { get; } = TestTables.Fingerprint("fake");

        public bool IsAvailable => true;

        public string Availability => "available";

        public static double QuietMs(Module model) => 0.1 + (1e-5 * model.Parameters().Sum(p => (long)p.Numel));

        public LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
            MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            double ms = QuietMs(model) * Factor;
            return LatencyStatistics.FromSamples([ms * 0.99, ms, ms * 1.01]);
        }

        /// <summary>One call for all models: the even sweeps see 0.98×, the odd sweeps 1.02× the latency.</summary>
        public IReadOnlyList<InterleavedMeasurement> MeasureInterleaved(
            IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads,
            InterleavedProtocol? protocol = null, Action<int>? onSweep = null,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            return [.. workloads.Select(w =>
            {
                double ms = QuietMs(w.Model) * Factor;
                return new InterleavedMeasurement(LatencyStatistics.FromSamples([ms * 0.98, ms, ms * 1.02]),
                    ms * 0.98, ms * 1.02);
            })];
        }

        public InterleavedBatch PrepareInterleaved(
            IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads) =>
            throw new InvalidOperationException("one target is measured through MeasureInterleaved");
    }

    [Fact]
    public void Medians_over_rounds_drop_a_busy_round_and_the_calibration_recovers_the_known_offset()
    {
        var target = new FakeTarget();
        var study = new DartsLatencyStudy(Small, 1, 8, 5);
        var options = new LatencyStudyOptions(Remeasure: 4, CalibrationNetworks: 4, Rounds: 3,
            Predictor: new(Hidden: 4, Epochs: 5));
        var table = LatencyProfiler.Profile(target, new DartsOperationModules(), study.Layout.SpaceOperations(), "darts");
        ITarget[] targets = [target];
        study.MeasureRound(targets, 1, MeasurementProtocol.Quick, _checkpoint, options: options);
        Assert.Equal(table.Entries.Count + 8 + 4, target.Calls);
        target.Factor = 1.5;
        study.MeasureRound(targets, 2, MeasurementProtocol.Quick, _checkpoint, options: options);
        target.Factor = 1;
        study.MeasureRound(targets, 3, MeasurementProtocol.Quick, _checkpoint, options: options);
        target.Factor = 1.2;
        study.MeasureLater(targets, MeasurementProtocol.Quick, _checkpoint, options: options);
        var result = Assert.Single(study.Evaluate([(target, table)], options));

        for (int i = 0; i < 8; i++)
        {
            var network = new DartsNetwork(study.Genotypes[i], Small, new Generator(5 + (ulong)i));
            Assert.Equal(FakeTarget.QuietMs(network), result.MeasuredMs[i], 12);
        }
        // Every table entry carries the 0.1 ms constant, the network once: lookup = measured + 0.1·(entries − 1).
        int entriesPerNetwork = study.Layout.GenotypeOperations(study.Genotypes[0]).Count;
        Assert.Equal(-0.1 * (entriesPerNetwork - 1), result.Calibration.InterceptMs, 6);
        Assert.Equal(1.0, result.Calibration.Scale, 6);
        Assert.Equal(1.0, result.CalibratedOnTest.Within5);
        Assert.Equal(-0.1 * (entriesPerNetwork - 1), result.FullCalibration.InterceptMs, 6);
        Assert.Equal(4, result.FullCalibration.Networks);
        Assert.True(result.Lookup.MeanBias > 1, "the raw lookup sum counts the constant once per entry");
        Assert.Equal(0.0, result.RepeatBackToBack!.Rmspe, 12);
        Assert.Equal(0.2, result.RepeatLater!.MeanBias, 9);
        Assert.Equal(4, result.RepeatLater.Count);

        // A new study on the same checkpoint measures nothing again.
        int calls = target.Calls;
        var resumed = new DartsLatencyStudy(Small, 1, 8, 5);
        var again = resumed.Run([(target, table)], MeasurementProtocol.Quick, _checkpoint, options: options);
        Assert.Equal(calls, target.Calls);
        Assert.Equal(result.MeasuredMs, again[0].MeasuredMs);
    }

    [Fact]
    public void An_interleaved_study_measures_networks_and_table_together_and_resumes_from_its_checkpoint()
    {
        var target = new FakeTarget();
        var study = new DartsLatencyStudy(Small, 1, 8, 5);
        var options = new LatencyStudyOptions(CalibrationNetworks: 4, Predictor: new(Hidden: 4, Epochs: 5),
            InterleavedSweeps: 3);
        var table = study.MeasureInterleaved(target, InterleavedProtocol.WithSweeps(3), checkpointPath: _checkpoint);
        Assert.Equal(1, target.Calls);
        var operations = LatencyProfiler.Distinct(study.Layout.SpaceOperations());
        Assert.Equal(operations.Count, table.Entries.Count);
        var modules = new DartsOperationModules();
        foreach (var op in operations)
        {
            Assert.Equal(FakeTarget.QuietMs(modules.Build(op)), table.LatencyMs(op), 12);
        }
        var result = Assert.Single(study.Evaluate([(target, table)], options));
        for (int i = 0; i < 8; i++)
        {
            var network = new DartsNetwork(study.Genotypes[i], Small, new Generator(5 + (ulong)i));
            Assert.Equal(FakeTarget.QuietMs(network), result.MeasuredMs[i], 12);
        }
        // The odd sweeps read 1.02 / 0.98 of the even ones for every network.
        Assert.NotNull(result.SplitHalf);
        Assert.Equal(1.02 / 0.98 - 1, result.SplitHalf.MeanBias, 9);
        Assert.Equal(8, result.SplitHalf.Count);
        Assert.Null(result.RepeatBackToBack);
        int entriesPerNetwork = study.Layout.GenotypeOperations(study.Genotypes[0]).Count;
        Assert.Equal(-0.1 * (entriesPerNetwork - 1), result.Calibration.InterceptMs, 6);

        // A new study with the table and the checkpoint measures nothing; without the table it measures again.
        var resumed = new DartsLatencyStudy(Small, 1, 8, 5);
        Assert.Same(table, resumed.MeasureInterleaved(target, InterleavedProtocol.WithSweeps(3), table, _checkpoint));
        Assert.Equal(1, target.Calls);
        Assert.Equal(result.MeasuredMs, resumed.Evaluate([(target, table)], options)[0].MeasuredMs);
        resumed.MeasureInterleaved(target, InterleavedProtocol.WithSweeps(3), null, _checkpoint);
        Assert.Equal(2, target.Calls);
    }

    [Fact]
    public void Two_targets_share_the_sweeps_and_each_gets_its_table_and_measurements()
    {
        var oneThread = CpuTarget.SingleThread();
        var twoThreads = new CpuTarget("cpu", 2);
        var study = new DartsLatencyStudy(Small, 1, 4, 5);
        int threadsBefore = NasBench.Kernels.Cpu.CpuParallel.MaxThreads;
        var tables = study.MeasureInterleaved([oneThread, twoThreads], InterleavedProtocol.Default with
        {
            Sweeps = 3, JitQuietTime = TimeSpan.Zero, WarmupTime = TimeSpan.Zero,
        }, checkpointPath: _checkpoint);
        Assert.Equal(threadsBefore, NasBench.Kernels.Cpu.CpuParallel.MaxThreads);
        Assert.Equal(2, tables.Count);
        var operations = LatencyProfiler.Distinct(study.Layout.SpaceOperations());
        tables[0].EnsureFingerprint(oneThread.Fingerprint);
        tables[1].EnsureFingerprint(twoThreads.Fingerprint);
        Assert.All(tables, t => t.EnsureCovers(operations));
        var lines = File.ReadAllLines(_checkpoint);
        Assert.Equal(2 + (2 * 4 * 3), lines.Length);
        Assert.Contains(lines, l => l.StartsWith("3,cpu/wall/interleaved-odd,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("3,cpu-1t/wall/interleaved,", StringComparison.Ordinal));
        var options = new LatencyStudyOptions(CalibrationNetworks: 2, Predictor: new(Hidden: 4, Epochs: 3),
            InterleavedSweeps: 3);
        var results = study.Evaluate([(oneThread, tables[0]), (twoThreads, tables[1])], options);
        Assert.All(results, r => Assert.All(r.MeasuredMs, ms => Assert.True(ms > 0)));

        // Complete for both: a rerun with the tables measures nothing and hands them back.
        var again = new DartsLatencyStudy(Small, 1, 4, 5).MeasureInterleaved([oneThread, twoThreads],
            InterleavedProtocol.WithSweeps(3), tables, _checkpoint);
        Assert.Same(tables[1], again[1]);
        Assert.Equal(lines.Length, File.ReadAllLines(_checkpoint).Length);
    }

    [Fact]
    public void Evaluating_before_measuring_names_the_missing_measurement()
    {
        var target = new FakeTarget();
        var study = new DartsLatencyStudy(Small, 1, 4, 5);
        var table = LatencyProfiler.Profile(target, new DartsOperationModules(), study.Layout.SpaceOperations(), "darts");
        var e = Assert.Throws<InvalidOperationException>(() => study.Evaluate([(target, table)]));
        Assert.Contains("Network 0 has no measurement 'fake/wall'", e.Message, StringComparison.Ordinal);
    }
}

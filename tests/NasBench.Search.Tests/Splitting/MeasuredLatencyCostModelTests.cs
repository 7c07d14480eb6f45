using NasBench.Hardware;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Tests.Splitting;

/// <summary>The lazily built latency table, with a fake target of known per-operation cost (no real timing).</summary>
public class MeasuredLatencyCostModelTests
{
    /// <summary>"Measures" 0.001 ms per parameter plus 0.01 ms per input element: a cost the test can compute from the
    /// configuration alone. Counts its calls.</summary>
    private sealed class FakeTarget(string name = "fake", bool available = true) : ITarget
    {
        public int Calls { get; private set; }

        public string Name => name;

        public string Description => "fake";

        public TargetFingerprint Fingerprint { get; } = new(name, "fake device", 1, 0, "test", "test");

        public bool IsAvailable => available;

        public string Availability => available ? "available" : "table only";

        public LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
            MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            double ms = Expected(model.Parameters().Sum(p => (long)p.Numel), inputShape.Aggregate(1L, (a, b) => a * b));
            return LatencyStatistics.FromSamples([ms, ms, ms]);
        }

        public static double Expected(long parameters, long inputElements) =>
            (1e-3 * parameters) + (1e-2 * inputElements);
    }

    private static double Expected(OperationConfig op) => FakeTarget.Expected(
        GrowableOperationAnalyzer.Instance.Count(op).Parameters,
        GrowableOperationModules.Instance.InputShape(op).Aggregate(1L, (a, b) => a * b));

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"nasbench-lat-{Guid.NewGuid():N}.json");

    [Fact]
    public void Measures_each_configuration_once_with_the_targets_cost()
    {
        var target = new FakeTarget();
        var model = new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance);
        var net = new GrowableNetwork(NetworkArchitectures.Create("mobilenet", 1, 28, 28, 10, 0.25), new Generator(1));
        var ops = net.Operations();
        int distinct = ops.Select(o => o.Key).Distinct().Count();
        double total = net.Cost(model);
        Assert.Equal(ops.Sum(Expected), total, 9);
        Assert.Equal(distinct, target.Calls);
        Assert.Equal(distinct, model.Measurements);
        Assert.Equal(total, net.Cost(model), 12);
        Assert.Equal(distinct, target.Calls);
        Assert.Equal("latency:fake", model.Name);
        Assert.Equal("ms", model.Unit);

        // A wider network only measures the configurations it has not seen.
        var widths = net.Widths();
        widths[net.SplittableIndices[0]] += 3;
        int fresh = net.Operations(widths).Count(o => !model.Table.Contains(o));
        Assert.True(fresh > 0);
        Assert.Equal(net.Operations(widths).Sum(Expected), net.Cost(model, widths), 9);
        Assert.Equal(distinct + fresh, target.Calls);
    }

    [Fact]
    public void Table_file_is_kept_up_to_date_and_reloaded_without_measuring()
    {
        string path = TempFile();
        try
        {
            var op = new OperationConfig("conv3x3", 4, 6, 10, 10, 1, 3, 1, 1);
            var first = new FakeTarget();
            double cost = new MeasuredLatencyCostModel(first, GrowableOperationModules.Instance, tablePath: path)
                .Cost(op);
            Assert.Equal(1, first.Calls);
            Assert.True(File.Exists(path));

            var second = new FakeTarget();
            var reloaded = new MeasuredLatencyCostModel(second, GrowableOperationModules.Instance, tablePath: path);
            Assert.Equal(cost, reloaded.Cost(op), 12);
            Assert.Equal(0, second.Calls);
            reloaded.Cost(op with { OutChannels = 7 });
            Assert.Equal(1, second.Calls);
            Assert.Equal(2, LatencyTableIo.Read(path).Entries.Count);

            var other = new FakeTarget("other");
            var e = Assert.Throws<LatencyTableFormatException>(() =>
                new MeasuredLatencyCostModel(other, GrowableOperationModules.Instance, tablePath: path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("target", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Repeated_measurements_keep_the_smallest_median()
    {
        var target = new SlowingTarget();
        var model = new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance, repeats: 3);
        var op = new OperationConfig("dwconv3x3", 5, 5, 9, 9, 1, 3, 1, 1);
        // The fake reports 3, 1, 2 ms for its first three calls: the model must keep 1.
        Assert.Equal(1.0, model.Cost(op), 12);
        Assert.Equal(3, target.Calls);
        Assert.Equal(1.0, model.Cost(op), 12);
        Assert.Equal(3, target.Calls);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance, repeats: 0));
    }

    private sealed class SlowingTarget : ITarget
    {
        private static readonly double[] Medians = [3, 1, 2];

        public int Calls { get; private set; }

        public string Name => "slowing";

        public string Description => "fake";

        public TargetFingerprint Fingerprint { get; } = new("slowing", "fake device", 1, 0, "test", "test");

        public bool IsAvailable => true;

        public string Availability => "available";

        public LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
            MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default)
        {
            double ms = Medians[Calls++ % Medians.Length];
            return LatencyStatistics.FromSamples([ms, ms, ms]);
        }
    }

    [Fact]
    public void Imported_table_target_answers_from_its_table_and_names_a_missing_key()
    {
        var known = new OperationConfig("linear", 8, 10, 1, 1, 1, 1, 1, 1);
        var table = new LatencyTable(new TargetFingerprint("phone", "soc", 4, 128, "tflite", "android"), "growable",
            [new LatencyEntry(known, 0.42)]);
        var model = new MeasuredLatencyCostModel(new TableTarget(table), GrowableOperationModules.Instance);
        Assert.Equal(0.42, model.Cost(known));
        Assert.Equal("latency:phone", model.Name);
        var missing = known with { InChannels = 9 };
        var e = Assert.Throws<KeyNotFoundException>(() => model.Cost(missing));
        Assert.Contains(missing.Key, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Measurements);
    }

    [Fact]
    public void Planner_with_the_measured_model_stays_within_the_latency_budget()
    {
        var target = new FakeTarget();
        var model = new MeasuredLatencyCostModel(target, GrowableOperationModules.Instance);
        var net = new GrowableNetwork(NetworkArchitectures.Create("vgg", 1, 28, 28, 10, 0.25), new Generator(1));
        double before = net.Cost(model), budget = 0.2 * before;
        var actions = SplitPlanner.Plan(net, SplitPlannerTests.FakeIndices(net, 1, withMax: false), model, budget,
            false, 0.5, out var sel);
        Assert.NotEmpty(actions);
        NeuronSplitter.Apply(net, actions, 0.01f);
        double after = net.Cost(model);
        Assert.True(after - before <= budget, $"latency grew {after - before} ms, budget {budget} ms");
        Assert.True(after - before > 0.5 * budget, $"latency grew only {after - before} ms of {budget} ms");
        Assert.Equal(net.Operations().Sum(Expected), after, 9);
    }
}

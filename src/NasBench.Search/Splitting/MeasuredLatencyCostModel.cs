using NasBench.Hardware;
using NasBench.Hardware.Cost;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;

namespace NasBench.Search.Splitting;

/// <summary>Cost = median latency (ms) of the operation on a target, measured the first time the configuration is
/// asked for and cached: a latency table built lazily as the growth run visits new widths.</summary>
/// <remarks>
/// <para>Each new configuration is built by the factory (for growable networks
/// <see cref="Networks.GrowableOperationModules"/>) and timed with <see cref="ITarget.Measure"/> under the protocol
/// (default <see cref="MeasurementProtocol.Quick"/>). A target that cannot measure here (an imported table,
/// <see cref="TableTarget"/>) answers from its table only.</para>
/// <para>With a <c>tablePath</c> the table is loaded from it when the file exists (its fingerprint must be the
/// target's) and written back after every new measurement, so a resumed or repeated run measures nothing twice.</para>
/// <para>With <c>repeats</c> &gt; 1 each configuration is measured that many times and the smallest median is kept:
/// on a shared machine other jobs only ever slow an operation down (a whole measurement window can run at half speed
/// when a sibling hyper-thread is busy), so the minimum of repeated medians is the robust figure.</para>
/// <para>Latencies are not linear in a channel count and are noisy, so <see cref="Networks.GrowableNetwork"/>'s
/// marginal costs should be taken as secants over a large width step (<see cref="SplitPlanner"/> does).</para>
/// </remarks>
public sealed class MeasuredLatencyCostModel : ICostModel
{
    private readonly ITarget _target;
    private readonly IOperationModuleFactory _factory;
    private readonly MeasurementProtocol _protocol;
    private readonly string? _tablePath;
    private readonly int _repeats;
    private readonly Lock _lock = new();
    private LatencyTable _table;

    /// <param name="target">Where to measure; an unavailable target (imported table) only looks up its table.</param>
    /// <param name="factory">Builds the module of one configuration.</param>
    /// <param name="protocol">Measurement protocol (default <see cref="MeasurementProtocol.Quick"/>).</param>
    /// <param name="tablePath">JSON or CSV table to start from (if it exists) and to keep up to date, or null.</param>
    /// <param name="space">Space name written into the table.</param>
    /// <param name="repeats">Measurements per configuration; the smallest median is kept (≥ 1).</param>
    /// <exception cref="LatencyTableFormatException">The table file is malformed or was measured on another target
    /// (the message names the file and the fields that differ).</exception>
    public MeasuredLatencyCostModel(ITarget target, IOperationModuleFactory factory,
        MeasurementProtocol? protocol = null, string? tablePath = null, string space = "growable", int repeats = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        _repeats = repeats;
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _protocol = protocol ?? MeasurementProtocol.Quick;
        _tablePath = tablePath;
        if (target is TableTarget imported)
        {
            _table = imported.Table;
        }
        else if (tablePath is not null && File.Exists(tablePath))
        {
            _table = LatencyTableIo.Read(tablePath);
            _table.EnsureFingerprint(target.Fingerprint);
        }
        else
        {
            _table = new LatencyTable(target.Fingerprint, space, []);
        }
    }

    public string Name => $"latency:{_target.Name}";

    public string Unit => "ms";

    /// <summary>The table so far (loaded entries plus every measurement of this instance).</summary>
    public LatencyTable Table
    {
        get
        {
            lock (_lock)
            {
                return _table;
            }
        }
    }

    /// <summary>Configurations measured by this instance (not looked up).</summary>
    public int Measurements { get; private set; }

    /// <exception cref="KeyNotFoundException">The target cannot measure here and its table has no entry (the
    /// message names the table and the key).</exception>
    public double Cost(OperationConfig operation)
    {
        lock (_lock)
        {
            if (_table.TryGet(operation, out var known))
            {
                return known.MedianMs;
            }
            if (!_target.IsAvailable)
            {
                return _table.LatencyMs(operation);
            }
            var module = _factory.Build(operation);
            var shape = _factory.InputShape(operation);
            var stats = _target.Measure(module, shape, _protocol);
            for (int r = 1; r < _repeats; r++)
            {
                var again = _target.Measure(module, shape, _protocol);
                stats = again.MedianMs < stats.MedianMs ? again : stats;
            }
            // A zero median (a clock too coarse for the op) would make the op free and break the table's > 0 rule.
            double median = Math.Max(stats.MedianMs, 1e-6);
            _table = _table.Merge([new LatencyEntry(operation, median, stats.IqrMs, stats.Samples)]);
            Measurements++;
            if (_tablePath is not null)
            {
                LatencyTableIo.Write(_table, _tablePath);
            }
            return median;
        }
    }
}

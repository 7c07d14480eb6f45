using System.Globalization;
using System.Text;
using NasBench.Hardware.Estimation;
using NasBench.Hardware.Latency;
using NasBench.Hardware.Targets;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Hardware;

/// <summary>The estimator-quality study: sample DARTS genotypes, measure each network end to end on each target,
/// and score the lookup-table sum and the learned predictors against the measurements (±10 %, RMSPE, Kendall τ).
/// </summary>
/// <remarks>Networks are measured target by target inside each network's turn, so slow drifts of a shared machine
/// spread over all targets alike. With several rounds every network is measured once per round (a round passes over
/// all networks before the next starts) and its latency is the median over the rounds, which drops a round caught in
/// a busy spell. Measurements are appended to a checkpoint CSV and a rerun with the same settings resumes from it.
/// Predictors train on the even-numbered networks and are scored on the odd-numbered ones. The interleaved mode
/// (<c>MeasureInterleaved</c>) instead measures all networks and table entries of the targets together, in sweeps
/// over all of them; on a shared machine it is the one whose measurements reproduce.</remarks>
public sealed class DartsLatencyStudy
{
    private readonly NetworkConfig _config;
    private readonly int _batch;
    private readonly int _count;
    private readonly ulong _seed;

    /// <summary>Measurements by (network, label): read from the checkpoint and added as they are taken.</summary>
    private readonly Dictionary<(int, string), (double Median, double Iqr)> _measured = [];
    private string? _loadedCheckpoint;

    public DartsLatencyStudy(NetworkConfig config, int batch, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 4);
        _config = config;
        _batch = batch;
        _count = count;
        _seed = seed;
        Layout = new DartsNetworkLayout(config, batch);
        Genotypes = RandomGenotypeSampler.Sample(count, seed);
    }

    public DartsNetworkLayout Layout { get; }

    public IReadOnlyList<Genotype> Genotypes { get; }

    /// <summary>Line identifying the settings in the checkpoint, so a resume with other settings is refused.</summary>
    public string Settings => string.Create(CultureInfo.InvariantCulture,
        $"C={_config.InitChannels} layers={_config.Layers} input={_config.InputChannels}x{_config.InputHeight}x"
        + $"{_config.InputWidth} batch={_batch} count={_count} seed={_seed}");

    /// <summary>Everything in one call: <see cref="LatencyStudyOptions.Rounds"/> measurement rounds, the later
    /// re-measurement, then <see cref="Evaluate"/>. (The <c>latency study</c> verb instead profiles a table per round
    /// between the rounds, so tables and networks are measured in the same spells of the machine.)</summary>
    /// <param name="targets">Targets with the table each was profiled into (same fingerprint).</param>
    /// <param name="checkpointPath">CSV of finished measurements (appended; read back on resume), or null.</param>
    /// <param name="onMeasured">Called after each network × target measurement (index, label, stats; null stats for
    /// one read from the checkpoint).</param>
    public IReadOnlyList<LatencyStudyTargetResult> Run(IReadOnlyList<(ITarget Target, LatencyTable Table)> targets,
        MeasurementProtocol protocol, string? checkpointPath = null,
        Action<int, string, LatencyStatistics?>? onMeasured = null, LatencyStudyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new LatencyStudyOptions();
        var only = targets.Select(t => t.Target).ToArray();
        for (int round = 1; round <= options.Rounds; round++)
        {
            MeasureRound(only, round, protocol, checkpointPath, onMeasured, options, cancellationToken);
        }
        MeasureLater(only, protocol, checkpointPath, onMeasured, options, cancellationToken);
        return Evaluate(targets, options, cancellationToken);
    }

    /// <summary>Measures every network once on every target (round 1 also repeats the first
    /// <see cref="LatencyStudyOptions.Remeasure"/> back to back). Finished measurements are skipped.</summary>
    public void MeasureRound(IReadOnlyList<ITarget> targets, int round, MeasurementProtocol protocol,
        string? checkpointPath = null, Action<int, string, LatencyStatistics?>? onMeasured = null,
        LatencyStudyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        options ??= new LatencyStudyOptions();
        LoadCheckpoint(checkpointPath);
        int remeasure = Math.Clamp(options.Remeasure, 0, _count);
        string suffix = RoundSuffix(round);
        for (int i = 0; i < _count; i++)
        {
            MeasureOnce(targets, i, suffix, protocol, checkpointPath, onMeasured, cancellationToken);
            if (round == 1 && i < remeasure)
            {
                MeasureOnce(targets, i, RepeatSuffix, protocol, checkpointPath, onMeasured, cancellationToken);
            }
        }
    }

    /// <summary>Measures the first <see cref="LatencyStudyOptions.Remeasure"/> networks once more (after all rounds).
    /// </summary>
    public void MeasureLater(IReadOnlyList<ITarget> targets, MeasurementProtocol protocol,
        string? checkpointPath = null, Action<int, string, LatencyStatistics?>? onMeasured = null,
        LatencyStudyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new LatencyStudyOptions();
        LoadCheckpoint(checkpointPath);
        for (int i = 0; i < Math.Clamp(options.Remeasure, 0, _count); i++)
        {
            MeasureOnce(targets, i, LaterSuffix, protocol, checkpointPath, onMeasured, cancellationToken);
        }
    }

    /// <summary>Measures every network and every table entry of the space on one target together, interleaved
    /// (<see cref="IInterleavingTarget.MeasureInterleaved"/>): tables and networks then see the same spells of the
    /// machine, and a slow spell no longer scatters the networks measured in it. Records each network's median over
    /// all sweeps and over the even and the odd sweeps.</summary>
    /// <param name="existing">The table of an earlier interleaved run of this target: when it holds every entry and the
    /// checkpoint every network, nothing is measured and it is returned.</param>
    /// <param name="onSweep">Called after each sweep with the number of sweeps done.</param>
    /// <returns>The table of the space's operations, from the same sweeps.</returns>
    public LatencyTable MeasureInterleaved(IInterleavingTarget target, InterleavedProtocol protocol,
        LatencyTable? existing = null, string? checkpointPath = null, Action<int>? onSweep = null,
        CancellationToken cancellationToken = default) =>
        MeasureInterleaved([target], protocol, [existing], checkpointPath, onSweep, cancellationToken)[0];

    /// <summary>The same for several targets in the same sweeps (each visit sets its target's threads and clock), so
    /// the targets also see the same spells and their comparison is not one spell against another.</summary>
    /// <param name="existing">Per target, its table of an earlier interleaved run or null; when every target's table
    /// and networks are complete, nothing is measured.</param>
    /// <returns>Per target, the table of the space's operations.</returns>
    public IReadOnlyList<LatencyTable> MeasureInterleaved(IReadOnlyList<IInterleavingTarget> targets,
        InterleavedProtocol protocol, IReadOnlyList<LatencyTable?>? existing = null, string? checkpointPath = null,
        Action<int>? onSweep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(protocol);
        LoadCheckpoint(checkpointPath);
        var operations = LatencyProfiler.Distinct(Layout.SpaceOperations());
        string[] suffixes = [InterleavedSuffix, EvenSweepsSuffix, OddSweepsSuffix];
        bool Complete(int t) => existing is not null && existing[t] is { } table
            && table.Fingerprint == targets[t].Fingerprint && operations.All(table.Contains)
            && Enumerable.Range(0, _count)
                .All(i => suffixes.All(x => _measured.ContainsKey((i, Label(targets[t]) + x))));
        if (Enumerable.Range(0, targets.Count).All(Complete))
        {
            return [.. existing!.Select(t => t!)];
        }
        var factory = new DartsOperationModules();
        var workloads = new List<(Module<Tensor, Tensor>, IReadOnlyList<int>)>(_count + operations.Count);
        int[] inputShape = [_batch, _config.InputChannels, _config.InputHeight, _config.InputWidth];
        for (int i = 0; i < _count; i++)
        {
            workloads.Add((new DartsNetwork(Genotypes[i], _config, new Generator(_seed + (ulong)i)), inputShape));
        }
        foreach (var op in operations)
        {
            workloads.Add((factory.Build(op), factory.InputShape(op)));
        }
        var results = targets.Count == 1
            ? [targets[0].MeasureInterleaved(workloads, protocol, onSweep, cancellationToken)]
            : MeasureTogether(targets, workloads, protocol, onSweep, cancellationToken);
        var tables = new LatencyTable[targets.Count];
        for (int t = 0; t < targets.Count; t++)
        {
            string label = Label(targets[t]);
            for (int i = 0; i < _count; i++)
            {
                var m = results[t][i];
                Record(checkpointPath, i, label + InterleavedSuffix, m.Statistics.MedianMs, m.Statistics.IqrMs,
                    m.Statistics.Samples);
                Record(checkpointPath, i, label + EvenSweepsSuffix, m.EvenSweepsMedianMs, 0,
                    (m.Statistics.Samples + 1) / 2);
                Record(checkpointPath, i, label + OddSweepsSuffix, m.OddSweepsMedianMs, 0, m.Statistics.Samples / 2);
            }
            var perTarget = results[t];
            tables[t] = new LatencyTable(targets[t].Fingerprint, "darts", operations.Select((op, k) =>
            {
                var stats = perTarget[_count + k].Statistics;
                return new LatencyEntry(op, stats.MedianMs, stats.IqrMs, stats.Samples);
            }));
        }
        return tables;
    }

    /// <summary>Every target's workloads in one interleaved run; results split back per target.</summary>
    private static IReadOnlyList<InterleavedMeasurement>[] MeasureTogether(IReadOnlyList<IInterleavingTarget> targets,
        List<(Module<Tensor, Tensor>, IReadOnlyList<int>)> workloads, InterleavedProtocol protocol,
        Action<int>? onSweep, CancellationToken cancellationToken)
    {
        var batches = new List<InterleavedBatch>(targets.Count);
        try
        {
            foreach (var target in targets)
            {
                batches.Add(target.PrepareInterleaved(workloads));
            }
            var all = InterleavedMeter.Measure([.. batches.SelectMany(b => b.Workloads)], protocol, onSweep,
                cancellationToken);
            return [.. Enumerable.Range(0, targets.Count).Select(t =>
                (IReadOnlyList<InterleavedMeasurement>)[.. all.Skip(t * workloads.Count).Take(workloads.Count)])];
        }
        finally
        {
            // Reverse order: each batch restores what the one before it found.
            for (int b = batches.Count - 1; b >= 0; b--)
            {
                batches[b].Dispose();
            }
        }
    }

    /// <summary>Scores the estimators against the measurements: a network's latency is the median over its rounds.
    /// </summary>
    /// <param name="targets">Targets with their table (for several rounds, the entry-wise median of the round
    /// tables, <see cref="LatencyTableRounds.Median"/>).</param>
    /// <exception cref="InvalidOperationException">A measurement is missing (measure the rounds first).</exception>
    public IReadOnlyList<LatencyStudyTargetResult> Evaluate(IReadOnlyList<(ITarget Target, LatencyTable Table)> targets,
        LatencyStudyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new LatencyStudyOptions();
        int remeasure = Math.Clamp(options.Remeasure, 0, _count);
        var models = targets.Select(t => new DartsLatencyModel(t.Table, Layout)).ToArray();
        for (int t = 0; t < targets.Count; t++)
        {
            targets[t].Table.EnsureFingerprint(targets[t].Target.Fingerprint);
        }
        var train = Enumerable.Range(0, _count).Where(i => i % 2 == 0).ToArray();
        var test = Enumerable.Range(0, _count).Where(i => i % 2 == 1).ToArray();
        // Calibration networks spread evenly over the run, so a drift of the machine during it is averaged.
        int calibrationCount = Math.Clamp(options.CalibrationNetworks, 2, train.Length);
        var calibration = Enumerable.Range(0, calibrationCount)
            .Select(k => train[(int)((long)k * train.Length / calibrationCount)]).ToArray();
        var encodings = Genotypes.Select(GenotypeEncoding.Encode).ToArray();
        var results = new List<LatencyStudyTargetResult>();
        for (int t = 0; t < targets.Count; t++)
        {
            string name = Label(targets[t].Target);
            var y = new double[_count];
            var relIqr = new double[_count];
            for (int i = 0; i < _count; i++)
            {
                var rounds = options.InterleavedSweeps > 0
                    ? [Get(i, name + InterleavedSuffix)]
                    : Enumerable.Range(1, options.Rounds).Select(r => Get(i, name + RoundSuffix(r))).ToArray();
                y[i] = LatencyTableRounds.MedianOf([.. rounds.Select(m => m.Median)]);
                relIqr[i] = LatencyTableRounds.MedianOf([.. rounds.Select(m => m.Iqr / m.Median)]);
            }
            Array.Sort(relIqr);
            var lookup = Genotypes.Select(models[t].EstimateMs).ToArray();
            var withLookup = Genotypes.Select(g => DartsLatencyFeatures.Build(DartsLatencyFeatures.CountsAndLookup, g,
                models[t])).ToArray();
            var yTrain = train.Select(i => y[i]).ToArray();
            var yTest = test.Select(i => y[i]).ToArray();
            var lookupTrain = train.Select(i => lookup[i]).ToArray();
            var lookupTest = test.Select(i => lookup[i]).ToArray();
            var plain = LatencyPredictor.Train(train.Select(i => encodings[i]).ToArray(), yTrain, null,
                options.Predictor, cancellationToken);
            var residual = LatencyPredictor.Train(train.Select(i => withLookup[i]).ToArray(), yTrain, lookupTrain,
                options.Predictor, cancellationToken).WithMetadata(new Dictionary<string, string>
                {
                    ["features"] = DartsLatencyFeatures.CountsAndLookup,
                    ["baseline"] = "lookup sum",
                    ["space"] = "darts",
                    ["network"] = Settings,
                    ["target"] = targets[t].Target.Fingerprint.Target,
                    ["clock"] = targets[t].Target.Fingerprint.Clock,
                    ["fingerprint"] = targets[t].Target.Fingerprint.Key,
                });
            var fit = LookupCalibration.Fit(calibration.Select(i => lookup[i]).ToArray(),
                calibration.Select(i => y[i]).ToArray());
            var fullFit = LookupCalibration.Fit(lookupTrain, yTrain);
            results.Add(new LatencyStudyTargetResult(
                targets[t].Target.Fingerprint, y, lookup,
                PredictionQuality.Compute(lookup, y),
                PredictionQuality.Compute(lookupTest, yTest),
                fit,
                PredictionQuality.Compute(lookupTest.Select(fit.Apply).ToArray(), yTest),
                fullFit,
                PredictionQuality.Compute(lookupTest.Select(fullFit.Apply).ToArray(), yTest),
                PredictionQuality.Compute(plain.Predict(test.Select(i => encodings[i]).ToArray()), yTest),
                PredictionQuality.Compute(residual.Predict(test.Select(i => withLookup[i]).ToArray(), lookupTest), yTest),
                residual,
                Repeat(name, RepeatSuffix, remeasure),
                Repeat(name, LaterSuffix, remeasure),
                relIqr[relIqr.Length / 2],
                options.InterleavedSweeps > 0 ? SplitHalf(name) : null));
        }
        return results;
    }

    private void LoadCheckpoint(string? path)
    {
        if (path is not null && path != _loadedCheckpoint)
        {
            ReadCheckpoint(path, _measured);
            _loadedCheckpoint = path;
        }
    }

    private (double Median, double Iqr) Get(int index, string label) =>
        _measured.TryGetValue((index, label), out var m)
            ? m
            : throw new InvalidOperationException($"Network {index} has no measurement '{label}'; measure it first.");

    private void MeasureOnce(IReadOnlyList<ITarget> targets, int i, string suffix, MeasurementProtocol protocol,
        string? checkpointPath, Action<int, string, LatencyStatistics?>? onMeasured, CancellationToken cancellationToken)
    {
        DartsNetwork? network = null;
        foreach (var target in targets)
        {
            string label = Label(target) + suffix;
            if (_measured.ContainsKey((i, label)))
            {
                onMeasured?.Invoke(i, label, null);
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            network ??= new DartsNetwork(Genotypes[i], _config, new Generator(_seed + (ulong)i));
            var stats = target.Measure(network,
                [_batch, _config.InputChannels, _config.InputHeight, _config.InputWidth], protocol, cancellationToken);
            Record(checkpointPath, i, label, stats.MedianMs, stats.IqrMs, stats.Samples);
            onMeasured?.Invoke(i, label, stats);
        }
    }

    /// <summary>Checkpoint label suffix of round <paramref name="round"/> (none for round 1, so one-round checkpoints
    /// read as before).</summary>
    public static string RoundSuffix(int round) =>
        round == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"/round{round}");

    /// <summary>Checkpoint label suffix of an interleaved measurement (median over all sweeps).</summary>
    public const string InterleavedSuffix = "/interleaved";

    /// <summary>Checkpoint label suffix of an interleaved measurement's median over its even-numbered sweeps.</summary>
    public const string EvenSweepsSuffix = "/interleaved-even";

    /// <summary>Checkpoint label suffix of an interleaved measurement's median over its odd-numbered sweeps.</summary>
    public const string OddSweepsSuffix = "/interleaved-odd";

    /// <summary>Checkpoint label suffix of the back-to-back re-measurement.</summary>
    public const string RepeatSuffix = "/repeat";

    /// <summary>Checkpoint label suffix of the re-measurement after all networks.</summary>
    public const string LaterSuffix = "/later";

    /// <summary>The re-measurement scored as a prediction of the first (round-1) measurement.</summary>
    private PredictionQuality? Repeat(string label, string suffix, int count) => count < 2
        ? null
        : PredictionQuality.Compute(
            Enumerable.Range(0, count).Select(i => Get(i, label + suffix).Median).ToArray(),
            Enumerable.Range(0, count).Select(i => Get(i, label).Median).ToArray());

    /// <summary>The odd sweeps' medians scored as a prediction of the even sweeps', over all networks: split-half
    /// reproducibility, the ceiling of an interleaved study.</summary>
    private PredictionQuality SplitHalf(string label) => PredictionQuality.Compute(
        Enumerable.Range(0, _count).Select(i => Get(i, label + OddSweepsSuffix).Median).ToArray(),
        Enumerable.Range(0, _count).Select(i => Get(i, label + EvenSweepsSuffix).Median).ToArray());

    /// <summary>Target name and clock, e.g. <c>cpu-1t/thread-cpu</c>: the checkpoint's key.</summary>
    private static string Label(ITarget target) => $"{target.Name}/{target.Fingerprint.Clock}";

    private void ReadCheckpoint(string path, Dictionary<(int, string), (double, double)> measured)
    {
        if (!File.Exists(path))
        {
            return;
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "# " + Settings)
        {
            throw new InvalidDataException(
                $"{path}: checkpoint of other settings ('{(lines.Length > 0 ? lines[0] : "")}'; expected "
                + $"'# {Settings}'). Delete it or choose another --checkpoint.");
        }
        for (int n = 2; n < lines.Length; n++)
        {
            string[] cells = lines[n].Split(',');
            if (cells.Length != 5
                || !int.TryParse(cells[0], CultureInfo.InvariantCulture, out int index)
                || !double.TryParse(cells[2], CultureInfo.InvariantCulture, out double median)
                || !double.TryParse(cells[3], CultureInfo.InvariantCulture, out double iqr))
            {
                // A line cut short by an interrupted run is measured again.
                continue;
            }
            measured[(index, cells[1])] = (median, iqr);
        }
    }

    private void Record(string? checkpointPath, int index, string label, double median, double iqr, int samples)
    {
        _measured[(index, label)] = (median, iqr);
        if (checkpointPath is null)
        {
            return;
        }
        var sb = new StringBuilder();
        if (!File.Exists(checkpointPath))
        {
            sb.Append("# ").Append(Settings).Append('\n').Append("index,target,median_ms,iqr_ms,samples\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"{index},{label},{median:R},{iqr:R},{samples}\n");
        File.AppendAllText(checkpointPath, sb.ToString());
    }
}

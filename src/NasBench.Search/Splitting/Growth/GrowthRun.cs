using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using NasBench.Data;
using NasBench.Data.Loading;
using NasBench.Hardware.Cost;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Splitting.Growth;

/// <summary>Grows a narrow network over K rounds (issue 5 §6): train, estimate splitting indices, select under the
/// round's budget in the selection cost model's unit (MACs, energy or latency), split, re-create the optimizer, train
/// again; or the uniform-width baseline. Every round is
/// checkpointed (<c>round-RR/arch.json</c> + <c>model.bin</c>, <c>history.json</c>) and a run resumes after its last
/// finished round.</summary>
/// <remarks>Round budget: the run grows geometrically from the seed's MACs M₀ to the target M over K rounds, so round
/// r may add up to <c>g·MACs</c> with <c>g = (M/M₀)^(1/K) − 1</c> (never past M). With another cost model C the
/// budget is <c>C(net)·min(g, (M − MACs)/MACs)</c> (<see cref="RoundBudget"/>): the same relative growth, in C's
/// unit, while the MAC schedule still decides when growth stops: with energy or latency the plan must also add at
/// most the MACs the schedule allows that round (with MACs the two limits coincide; <c>MacCap = false</c> drops
/// this). Each unit may at most double per round. Optimizer: SGD, momentum 0.9, weight decay, cosine learning rate
/// within each round, re-created after every split (pitfall P2).</remarks>
public sealed class GrowthRun
{
    // A diverged round has a NaN loss: written as the string "NaN" rather than failing the whole run.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private readonly GrowthOptions _options;
    private readonly DatasetPair _data;
    private readonly string _directory;
    private readonly ICostModel _cost;
    private readonly EnergyCostModel _energy;
    private readonly int[] _trainIndices;
    private Sgd? _optimizer;

    /// <param name="costModel">The selection cost model; null builds it from the options
    /// (<see cref="SplitCostModels.Create"/>).</param>
    /// <exception cref="ArgumentException">Invalid settings, or cost-model options that do not fit together.
    /// </exception>
    public GrowthRun(GrowthOptions options, DatasetPair data, string directory, ICostModel? costModel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (options.Rounds < 0 || options.Epochs < 0 || !(options.BudgetMacs > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options,
                "Growth run needs rounds ≥ 0, epochs ≥ 0 and a positive MAC budget.");
        }
        if (options.SplitBatches < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options,
                $"SplitBatches must be ≥ 0 (0 = a full pass), got {options.SplitBatches}.");
        }
        _options = options;
        _data = data;
        _directory = directory;
        _cost = costModel ?? SplitCostModels.Create(options, directory);
        _energy = new EnergyCostModel(GrowableOperationAnalyzer.Instance, SplitCostModels.Coefficients(options));
        int n = options.TrainSubset > 0 ? Math.Min(options.TrainSubset, data.Train.Count) : data.Train.Count;
        if (n < options.BatchSize)
        {
            // Batches are full (drop-last), so a smaller set would train on nothing and report a NaN loss.
            throw new ArgumentException($"Growth needs at least one training batch of {options.BatchSize} images; "
                + $"the training set has {n} ({data.Train.Count} in {data.Train.Name}, train subset "
                + $"{options.TrainSubset}).", nameof(options));
        }
        _trainIndices = [.. Enumerable.Range(0, n)];
    }

    /// <summary>Rounds finished so far (read from <c>history.json</c>).</summary>
    public List<GrowthRound> History { get; } = [];

    /// <summary>The final architecture retrained from scratch (<see cref="GrowthOptions.RetrainEpochs"/>), once done.
    /// </summary>
    public RetrainResult? Retrained { get; private set; }

    /// <summary>Units of work for a progress bar: one per epoch and one per split.</summary>
    public int TotalSteps => _options.Mode == GrowthMode.Uniform
        ? Enumerable.Range(0, _options.Rounds + 1).Sum(r => _options.Epochs * (r + 1))
        : ((_options.Rounds + 1) * _options.Epochs) + _options.Rounds + _options.RetrainEpochs;

    /// <summary>Units of work already done by the rounds in <see cref="History"/> (for resume).</summary>
    public int CompletedSteps => _options.Mode == GrowthMode.Uniform
        ? History.Sum(h => _options.Epochs * (h.Round + 1))
        : History.Sum(h => _options.Epochs + (h.Round > 0 ? 1 : 0)) + (Retrained is null ? 0 : Retrained.Epochs);

    private bool Retrains => _options.RetrainEpochs > 0 && _options.Mode != GrowthMode.Uniform;

    public GrowthOptions Options => _options;

    /// <summary>The selection cost model (its <see cref="ICostModel.Name"/> and unit go into the report).</summary>
    public ICostModel CostModel => _cost;

    /// <summary>Budget of one split round in the cost model's unit: <c>cost · min(growth, (budgetMacs − macs)/macs)
    /// </c>; with the MAC model (cost = macs) exactly <c>min(growth·macs, budgetMacs − macs)</c>. ≤ 0 once the MACs
    /// reach the budget.</summary>
    public static double RoundBudget(double cost, long macs, double growth, double budgetMacs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(macs);
        double left = budgetMacs - macs;
        if (left <= 0)
        {
            return 0;
        }
        if (growth * macs <= left)
        {
            return cost * growth;
        }
        // cost == macs (the MAC model) returns today's rule bit for bit, without the rounding of macs·left/macs.
        return cost == macs ? left : cost * left / macs;
    }

    /// <summary>Loads <c>history.json</c> when resuming; checks that the stored config matches.</summary>
    /// <exception cref="InvalidDataException">The directory holds a run with other settings.</exception>
    public void LoadCheckpoint()
    {
        string configPath = Path.Combine(_directory, "config.json");
        string historyPath = Path.Combine(_directory, "history.json");
        if (!File.Exists(historyPath) || !File.Exists(configPath))
        {
            return;
        }
        var stored = JsonSerializer.Deserialize<GrowthOptions>(File.ReadAllText(configPath), Json);
        if (stored != _options)
        {
            throw new InvalidDataException(
                $"{configPath}: the run there has other settings ({stored}); expected {_options}. Use another --output.");
        }
        History.Clear();
        History.AddRange(JsonSerializer.Deserialize<List<GrowthRound>>(File.ReadAllText(historyPath), Json) ?? []);
        string retrainPath = Path.Combine(_directory, "retrain.json");
        Retrained = File.Exists(retrainPath)
            ? JsonSerializer.Deserialize<RetrainResult>(File.ReadAllText(retrainPath), Json)
            : null;
    }

    /// <summary>Runs (or continues) all rounds. <paramref name="advance"/> is called once per epoch and per split.
    /// </summary>
    public void Run(Action<string> advance, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(advance);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "config.json"), JsonSerializer.Serialize(_options, Json));
        var info = _data.Train;
        var seedSpec = NetworkArchitectures.Create(_options.Network, info.Channels, info.Height, info.Width,
            info.ClassCount, _options.SeedMultiplier);
        long seedMacs = new GrowableNetwork(seedSpec, new Generator(1)).Macs();
        if (seedMacs >= _options.BudgetMacs && _options.Rounds > 0)
        {
            throw new ArgumentException(
                $"The seed {_options.Network} (width ×{_options.SeedMultiplier}) already has {seedMacs:N0} MACs, not "
                + $"below the budget of {_options.BudgetMacs:N0}; raise the budget or lower the seed width.");
        }
        double growth = _options.Rounds == 0 ? 0 : Math.Pow(_options.BudgetMacs / seedMacs, 1.0 / _options.Rounds) - 1;

        GrowableNetwork? net = null;
        if (History.Count > 0 && _options.Mode != GrowthMode.Uniform)
        {
            net = LoadRound(History[^1].Round);
        }
        for (int round = History.Count; round <= _options.Rounds; round++)
        {
            cancellation.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            int neurons = 0;
            double gain = 0, budget = 0, added = 0;
            int epochs = _options.Epochs;
            if (_options.Mode == GrowthMode.Uniform)
            {
                double target = Math.Min(_options.BudgetMacs, seedMacs * Math.Pow(1 + growth, round));
                net = new GrowableNetwork(UniformSpec(target), new Generator((ulong)(_options.Seed + round)));
                epochs = _options.Epochs * (round + 1);
            }
            else if (net is null)
            {
                net = new GrowableNetwork(seedSpec, new Generator((ulong)_options.Seed));
            }
            else
            {
                double before = net.Cost(_cost);
                budget = RoundBudget(before, net.Macs(), growth, _options.BudgetMacs);
                if (budget > 0)
                {
                    // The MAC schedule caps every round whatever the cost model: energy or latency could otherwise
                    // buy MACs cheaply and overshoot the run's budget (with MACs the cap equals the budget).
                    double macCap = Math.Min(growth * net.Macs(), _options.BudgetMacs - net.Macs());
                    (neurons, gain) = Split(net, budget, macCap, round);
                }
                added = net.Cost(_cost) - before;
                advance($"round {round}: split {neurons} neurons, {net.Macs():N0} MACs");
            }
            double splitSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            double loss = 0;
            for (int e = 0; e < epochs; e++)
            {
                cancellation.ThrowIfCancellationRequested();
                loss = TrainEpoch(net, round, e, epochs);
                advance($"round {round} epoch {e + 1}/{epochs}: loss {loss:F3}");
            }
            double trainSeconds = sw.Elapsed.TotalSeconds;
            double accuracy = Evaluate(net);
            History.Add(new GrowthRound(round, net.Macs(), net.ParameterCount(), accuracy, loss, splitSeconds,
                trainSeconds, neurons, gain, net.Widths(), net.Cost(_cost), budget, added, net.Cost(_energy),
                _cost.Unit, _cost.Name));
            SaveRound(net, round);
        }
        if (Retrains && Retrained is null && History.Count > 0)
        {
            Retrained = Retrain(net ?? LoadRound(History[^1].Round), advance, cancellation);
            File.WriteAllText(Path.Combine(_directory, "retrain.json"), JsonSerializer.Serialize(Retrained, Json));
        }
    }

    /// <summary>The final architecture from a fresh initialisation (its own seed), trained for
    /// <see cref="GrowthOptions.RetrainEpochs"/> epochs under one cosine schedule, as the uniform baseline's rounds.
    /// </summary>
    private RetrainResult Retrain(GrowableNetwork grown, Action<string> advance, CancellationToken cancellation)
    {
        var fresh = new GrowableNetwork(grown.Spec, new Generator((ulong)(_options.Seed + 7919)));
        var sw = Stopwatch.StartNew();
        double loss = double.NaN;
        int epochs = _options.RetrainEpochs;
        for (int e = 0; e < epochs; e++)
        {
            cancellation.ThrowIfCancellationRequested();
            loss = TrainEpoch(fresh, _options.Rounds + 1, e, epochs);
            advance($"retrain from scratch epoch {e + 1}/{epochs}: loss {loss:F3}");
        }
        double seconds = sw.Elapsed.TotalSeconds;
        return new RetrainResult(epochs, fresh.Macs(), fresh.ParameterCount(), Evaluate(fresh), loss, seconds,
            fresh.Widths());
    }

    private (int Neurons, double Gain) Split(GrowableNetwork net, double budget, double macCap, int round)
    {
        var batches = SplitBatches(round);
        IReadOnlyList<LayerSplitIndices> indices = _options.Mode switch
        {
            GrowthMode.Exact => ExactSplitting.Estimate(net, batches),
            _ => FastSplitting.Estimate(net, batches, new FastSplitOptions(
                Iterations: _options.FastIterations, EstimateMax: _options.Mode == GrowthMode.Signed,
                Seed: (ulong)(_options.Seed + round))),
        };
        var actions = SplitPlanner.Plan(net, indices, _cost, budget, _options.Mode == GrowthMode.Signed,
            _options.NegativeMass, out var selection,
            _options.CostModel == SplitCostModels.Macs || !_options.MacCap ? double.PositiveInfinity : macCap);
        int before = net.Widths().Sum();
        NeuronSplitter.Apply(net, actions, _options.Epsilon, _options.NegativeMass);
        return (net.Widths().Sum() - before, selection.TotalGain);
    }

    private List<LabeledBatch> SplitBatches(int round)
    {
        using var loader = new BatchLoader(_data.Train, _trainIndices, new BatchLoaderOptions
        {
            BatchSize = _options.BatchSize, Seed = _options.Seed + (1000 * round), DropLast = true, Prefetch = 0,
        });
        var list = new List<LabeledBatch>();
        foreach (var b in loader.Epoch(0))
        {
            list.Add(new LabeledBatch(b.ImageSpan.ToArray(), b.LabelSpan.ToArray(), b.Dimensions));
            // SplitBatches = 0: one full pass (exact S2D's S averaged over the whole training set).
            if (list.Count == _options.SplitBatches)
            {
                break;
            }
        }
        return list;
    }

    private double TrainEpoch(GrowableNetwork net, int round, int epoch, int epochs)
    {
        // A fresh optimizer per round (pitfall P2): the parameters were replaced by the split.
        if (epoch == 0)
        {
            _optimizer = new Sgd(net.Parameters(), _options.LearningRate, momentum: 0.9,
                weightDecay: _options.WeightDecay);
        }
        using var loader = new BatchLoader(_data.Train, _trainIndices, new BatchLoaderOptions
        {
            BatchSize = _options.BatchSize, Seed = _options.Seed + (1000 * round), DropLast = true,
        });
        net.Train();
        int steps = loader.BatchesPerEpoch, total = steps * epochs, step = epoch * steps;
        double sum = 0;
        int count = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            _optimizer!.LearningRate = 0.5 * _options.LearningRate * (1 + Math.Cos(Math.PI * step++ / total));
            using var scope = TensorScope.Enter();
            var loss = Functional.CrossEntropy(net.Forward(batch.ToImageTensor()), batch.LabelSpan);
            _optimizer.ZeroGrad();
            loss.Backward();
            _optimizer.Step();
            sum += loss.Item();
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    private double Evaluate(GrowableNetwork net)
    {
        using var loader = new BatchLoader(_data.Test, new BatchLoaderOptions
        {
            BatchSize = 250, Shuffle = false, Seed = 0,
        });
        net.Eval();
        int correct = 0, total = 0;
        using var noGrad = Tensor.NoGrad();
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = TensorScope.Enter();
            var predicted = net.Forward(batch.ToImageTensor()).ArgMaxRows();
            var labels = batch.LabelSpan;
            for (int i = 0; i < labels.Length; i++)
            {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            total += labels.Length;
        }
        net.Train();
        return total == 0 ? 0 : (double)correct / total;
    }

    /// <summary>The uniform-width network whose MACs are closest to <paramref name="target"/> from below (bisection
    /// on the width multiplier).</summary>
    public NetworkSpec UniformSpec(double target)
    {
        var info = _data.Train;
        NetworkSpec Make(double m) => NetworkArchitectures.Create(_options.Network, info.Channels, info.Height,
            info.Width, info.ClassCount, m);
        double lo = 0.01, hi = 8;
        for (int i = 0; i < 40; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (new GrowableNetwork(Make(mid), new Generator(1)).Macs() <= target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return Make(lo);
    }

    private string RoundDirectory(int round) => Path.Combine(_directory, $"round-{round:D2}");

    private void SaveRound(GrowableNetwork net, int round)
    {
        string dir = RoundDirectory(round);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "arch.json"), net.Spec.ToJson());
        net.Save(Path.Combine(dir, "model.bin"));
        // history.json last, so a crash between the files leaves the previous round as the resume point.
        string tmp = Path.Combine(_directory, "history.json.tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(History, Json));
        File.Move(tmp, Path.Combine(_directory, "history.json"), overwrite: true);
    }

    private GrowableNetwork LoadRound(int round)
    {
        string dir = RoundDirectory(round);
        string archPath = Path.Combine(dir, "arch.json");
        var spec = NetworkSpec.FromJson(File.ReadAllText(archPath), archPath);
        var net = new GrowableNetwork(spec, new Generator(1));
        net.Load(Path.Combine(dir, "model.bin"));
        return net;
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Hardware.Estimation;

/// <summary>A learned latency predictor (LA-DARTS's regressor, darts.md §3.1), trained with our own engine: an MLP
/// (d → h → h → 1, ReLU) on standardised features predicting the standardised log latency.</summary>
/// <remarks>
/// Log space makes the squared error a relative error, which is what ±10 % and RMSPE measure. An optional per-model
/// baseline (the lookup-table sum) turns the task into learning the correction log(y / baseline): what the table
/// misses between operations. Without a baseline the network learns log y from the encoding alone.
/// Training holds out <see cref="LatencyPredictorOptions.ValidationFraction"/> of the models and keeps the weights of
/// the epoch with the lowest validation loss (early stopping), because a few hundred noisy measurements are easily
/// memorised. <see cref="LatencyPredictorJson"/> saves and loads a trained predictor.
/// </remarks>
public sealed class LatencyPredictor
{
    private readonly Sequential _net;
    private readonly double[] _featureMean;
    private readonly double[] _featureScale;

    private LatencyPredictor(Sequential net, double[] featureMean, double[] featureScale, double targetMean,
        double targetScale, bool usesBaseline, LatencyPredictorTraining training,
        IReadOnlyDictionary<string, string> metadata)
    {
        _net = net;
        _featureMean = featureMean;
        _featureScale = featureScale;
        TargetMean = targetMean;
        TargetScale = targetScale;
        UsesBaseline = usesBaseline;
        Training = training;
        Metadata = metadata;
    }

    public int Features => _featureMean.Length;

    public int Hidden => ((Linear)_net[0]).OutFeatures;

    /// <summary>True when <see cref="Predict"/> needs a baseline latency per row (the net learns log(y / baseline)).
    /// </summary>
    public bool UsesBaseline { get; }

    /// <summary>Mean of the (log) training target, which standardisation subtracts.</summary>
    public double TargetMean { get; }

    /// <summary>Standard deviation of the (log) training target, which standardisation divides by.</summary>
    public double TargetScale { get; }

    /// <summary>How training went: epochs run, the kept epoch, training and validation loss.</summary>
    public LatencyPredictorTraining Training { get; }

    /// <summary>Free-form facts saved with the predictor (which features, which table, which target).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Mean squared error of the standardised log target on the training models at the kept epoch.</summary>
    public double FinalTrainingLoss => Training.TrainingLoss;

    internal IReadOnlyList<double> FeatureMean => _featureMean;

    internal IReadOnlyList<double> FeatureScale => _featureScale;

    /// <summary>The three linear layers, input to output (ReLU between them).</summary>
    internal IReadOnlyList<Linear> Layers => [(Linear)_net[0], (Linear)_net[2], (Linear)_net[4]];

    /// <summary>The same predictor with <paramref name="metadata"/> added (replacing equal keys).</summary>
    public LatencyPredictor WithMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var merged = new Dictionary<string, string>(Metadata, StringComparer.Ordinal);
        foreach (var (k, v) in metadata)
        {
            merged[k] = v;
        }
        return new LatencyPredictor(_net, _featureMean, _featureScale, TargetMean, TargetScale, UsesBaseline, Training,
            merged);
    }

    /// <param name="features">n rows of d features.</param>
    /// <param name="latencyMs">n measured latencies (> 0).</param>
    /// <param name="baselineMs">Optional n baseline estimates (> 0); the net then learns log(y / baseline) and
    /// <see cref="Predict"/> needs the baseline too.</param>
    /// <exception cref="ArgumentException">Ragged or empty features, length mismatch, a latency ≤ 0, bad options.
    /// </exception>
    public static LatencyPredictor Train(IReadOnlyList<float[]> features, IReadOnlyList<double> latencyMs,
        IReadOnlyList<double>? baselineMs = null, LatencyPredictorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(latencyMs);
        options ??= new LatencyPredictorOptions();
        options.Validate();
        int n = features.Count;
        if (n < 2 || latencyMs.Count != n || (baselineMs is not null && baselineMs.Count != n))
        {
            throw new ArgumentException($"Need at least 2 training models with one latency (and baseline) each; got "
                + $"{n} feature rows, {latencyMs.Count} latencies, {baselineMs?.Count.ToString() ?? "no"} baselines.");
        }
        int d = features[0].Length;
        var targets = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (features[i].Length != d)
            {
                throw new ArgumentException($"Feature row {i} has {features[i].Length} values; row 0 has {d}.",
                    nameof(features));
            }
            if (!(latencyMs[i] > 0) || (baselineMs is not null && !(baselineMs[i] > 0)))
            {
                throw new ArgumentException($"Model {i}: latency {latencyMs[i]} and baseline must be > 0.");
            }
            targets[i] = Math.Log(latencyMs[i]) - (baselineMs is null ? 0 : Math.Log(baselineMs[i]));
        }

        var generator = new Generator(options.Seed);
        var (fit, validation) = Split(n, options.ValidationFraction, generator);
        var (mean, scale) = Standardisation(features, fit, d);
        double tMean = fit.Average(i => targets[i]);
        double tScale = Math.Sqrt(fit.Sum(i => (targets[i] - tMean) * (targets[i] - tMean)) / fit.Length);
        tScale = tScale > 1e-9 ? tScale : 1;

        var head = new Linear(options.Hidden, 1, generator);
        // A zero head starts every prediction at the mean target (the baseline times the mean ratio), so training
        // only has to learn the deviations, and a constant correction is learned exactly.
        head.Weight.AsSpan().Clear();
        head.Bias!.AsSpan().Clear();
        var net = new Sequential(new Linear(d, options.Hidden, generator), new ReLU(),
            new Linear(options.Hidden, options.Hidden, generator), new ReLU(), head);
        var optimizer = new Adam(net.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        var schedule = new CosineAnnealingLr(optimizer, Math.Max(options.Epochs, 1), options.LearningRate * 0.05);
        using var xFit = Standardised(features, fit, mean, scale);
        using var yFit = Standardised(targets, fit, tMean, tScale);
        using var xVal = validation.Length > 0 ? Standardised(features, validation, mean, scale) : null;
        using var yVal = validation.Length > 0 ? Standardised(targets, validation, tMean, tScale) : null;

        var parameters = net.Parameters().ToArray();
        var best = parameters.Select(p => p.ToArray()).ToArray();
        double bestValidation = validation.Length > 0 ? Loss(net, xVal!, yVal!) : double.NaN;
        double bestTraining = double.NaN;
        int bestEpoch = 0, epochs = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double trainingLoss;
            using (TensorScope.Enter())
            {
                optimizer.ZeroGrad();
                var diff = net.Forward(xFit) - yFit;
                var loss = (diff * diff).Mean();
                trainingLoss = loss.Item();
                loss.Backward();
                optimizer.Step();
                schedule.Step();
            }
            epochs = epoch;
            if (validation.Length == 0)
            {
                bestEpoch = epoch;
                continue;
            }
            double v = Loss(net, xVal!, yVal!);
            if (v < bestValidation)
            {
                bestValidation = v;
                bestEpoch = epoch;
                bestTraining = trainingLoss;
                for (int p = 0; p < parameters.Length; p++)
                {
                    parameters[p].AsReadOnlySpan().CopyTo(best[p]);
                }
            }
            else if (epoch - bestEpoch >= options.Patience)
            {
                break;
            }
        }
        if (validation.Length > 0)
        {
            for (int p = 0; p < parameters.Length; p++)
            {
                best[p].CopyTo(parameters[p].AsSpan());
            }
        }
        net.Eval();
        double finalTraining = Loss(net, xFit, yFit);
        var training = new LatencyPredictorTraining(epochs, bestEpoch, fit.Length, validation.Length, finalTraining,
            validation.Length > 0 ? bestValidation : double.NaN);
        return new LatencyPredictor(net, mean, scale, tMean, tScale, baselineMs is not null, training,
            new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>Rebuilds a predictor from saved weights (see <see cref="LatencyPredictorJson"/>).</summary>
    /// <param name="layers">Weights [out·in] and biases [out] of the three layers: d → h, h → h, h → 1.</param>
    /// <exception cref="ArgumentException">Shapes that do not chain (the message names the layer).</exception>
    internal static LatencyPredictor FromWeights(double[] featureMean, double[] featureScale, double targetMean,
        double targetScale, bool usesBaseline, IReadOnlyList<(float[] Weight, float[] Bias)> layers,
        LatencyPredictorTraining training, IReadOnlyDictionary<string, string> metadata)
    {
        int d = featureMean.Length;
        if (featureScale.Length != d || layers.Count != 3)
        {
            throw new ArgumentException($"featureScale has {featureScale.Length} values (expected {d}); "
                + $"{layers.Count} layers (expected 3).");
        }
        int h = layers[0].Bias.Length;
        int[] ins = [d, h, h], outs = [h, h, 1];
        var g = new Generator(0);
        var linears = new Linear[3];
        for (int l = 0; l < 3; l++)
        {
            if (layers[l].Weight.Length != ins[l] * outs[l] || layers[l].Bias.Length != outs[l])
            {
                throw new ArgumentException($"layers[{l}]: weight has {layers[l].Weight.Length} values and bias "
                    + $"{layers[l].Bias.Length} (expected {outs[l]}×{ins[l]} = {ins[l] * outs[l]} and {outs[l]}).");
            }
            linears[l] = new Linear(ins[l], outs[l], g);
            layers[l].Weight.CopyTo(linears[l].Weight.AsSpan());
            layers[l].Bias.CopyTo(linears[l].Bias!.AsSpan());
        }
        var net = new Sequential(linears[0], new ReLU(), linears[1], new ReLU(), linears[2]);
        net.Eval();
        return new LatencyPredictor(net, featureMean, featureScale, targetMean, targetScale, usesBaseline, training,
            metadata);
    }

    /// <summary>Predicted latency (ms) of each row.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or the baseline is missing/present against how the
    /// predictor was trained.</exception>
    public double[] Predict(IReadOnlyList<float[]> features, IReadOnlyList<double>? baselineMs = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (UsesBaseline != baselineMs is not null || (baselineMs is not null && baselineMs.Count != features.Count))
        {
            throw new ArgumentException(UsesBaseline
                ? "This predictor was trained on a baseline: pass one baseline latency per row."
                : "This predictor was trained without a baseline: pass none.");
        }
        int n = features.Count, d = Features;
        for (int i = 0; i < n; i++)
        {
            if (features[i].Length != d)
            {
                throw new ArgumentException($"Feature row {i} has {features[i].Length} values; expected {d}.",
                    nameof(features));
            }
        }
        using var noGrad = Tensor.NoGrad();
        using var scope = TensorScope.Enter();
        var output = _net.Forward(Standardised(features, [.. Enumerable.Range(0, n)], _featureMean, _featureScale))
            .AsReadOnlySpan();
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double log = (output[i] * TargetScale) + TargetMean + (baselineMs is null ? 0 : Math.Log(baselineMs[i]));
            result[i] = Math.Exp(log);
        }
        return result;
    }

    /// <summary>A seeded shuffle split; no validation part when it would hold fewer than 2 models or leave fewer
    /// than 2 to fit.</summary>
    private static (int[] Fit, int[] Validation) Split(int n, double fraction, Generator generator)
    {
        int held = (int)Math.Round(n * fraction);
        if (held < 2 || n - held < 2)
        {
            return ([.. Enumerable.Range(0, n)], []);
        }
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = generator.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return ([.. order[held..].Order()], [.. order[..held].Order()]);
    }

    private static (double[] Mean, double[] Scale) Standardisation(IReadOnlyList<float[]> features, int[] rows, int d)
    {
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double m = 0, s = 0;
            foreach (int i in rows)
            {
                m += features[i][j];
            }
            m /= rows.Length;
            foreach (int i in rows)
            {
                s += (features[i][j] - m) * (features[i][j] - m);
            }
            mean[j] = m;
            // A constant column carries no information; scale 1 keeps it at zero instead of dividing by zero.
            scale[j] = s > 1e-12 ? Math.Sqrt(s / rows.Length) : 1;
        }
        return (mean, scale);
    }

    private static Tensor Standardised(IReadOnlyList<float[]> features, int[] rows, double[] mean, double[] scale)
    {
        int d = mean.Length;
        var x = new float[rows.Length * d];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < d; j++)
            {
                x[(r * d) + j] = (float)((features[rows[r]][j] - mean[j]) / scale[j]);
            }
        }
        return Tensor.FromArray(x, rows.Length, d).DetachFromScope();
    }

    private static Tensor Standardised(double[] targets, int[] rows, double mean, double scale) =>
        Tensor.FromArray([.. rows.Select(i => (float)((targets[i] - mean) / scale))], rows.Length, 1).DetachFromScope();

    private static double Loss(Sequential net, Tensor x, Tensor y)
    {
        using var noGrad = Tensor.NoGrad();
        using var scope = TensorScope.Enter();
        var diff = net.Forward(x) - y;
        return (diff * diff).Mean().Item();
    }
}

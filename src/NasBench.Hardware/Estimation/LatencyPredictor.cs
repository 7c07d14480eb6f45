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
/// </remarks>
public sealed class LatencyPredictor
{
    private readonly Sequential _net;
    private readonly double[] _featureMean;
    private readonly double[] _featureScale;
    private readonly double _targetMean;
    private readonly double _targetScale;
    private readonly bool _usesBaseline;

    private LatencyPredictor(Sequential net, double[] featureMean, double[] featureScale, double targetMean,
        double targetScale, bool usesBaseline, double finalLoss)
    {
        _net = net;
        _featureMean = featureMean;
        _featureScale = featureScale;
        _targetMean = targetMean;
        _targetScale = targetScale;
        _usesBaseline = usesBaseline;
        FinalTrainingLoss = finalLoss;
    }

    public int Features => _featureMean.Length;

    /// <summary>Mean squared error of the standardised log target after the last epoch.</summary>
    public double FinalTrainingLoss { get; }

    /// <param name="features">n rows of d features.</param>
    /// <param name="latencyMs">n measured latencies (> 0).</param>
    /// <param name="baselineMs">Optional n baseline estimates (> 0); the net then learns log(y / baseline) and
    /// <see cref="Predict"/> needs the baseline too.</param>
    /// <exception cref="ArgumentException">Ragged or empty features, length mismatch, a latency ≤ 0.</exception>
    public static LatencyPredictor Train(IReadOnlyList<float[]> features, IReadOnlyList<double> latencyMs,
        IReadOnlyList<double>? baselineMs = null, LatencyPredictorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(latencyMs);
        options ??= new LatencyPredictorOptions();
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
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double m = 0, s = 0;
            for (int i = 0; i < n; i++)
            {
                m += features[i][j];
            }
            m /= n;
            for (int i = 0; i < n; i++)
            {
                s += (features[i][j] - m) * (features[i][j] - m);
            }
            mean[j] = m;
            // A constant column carries no information; scale 1 keeps it at zero instead of dividing by zero.
            scale[j] = s > 1e-12 ? Math.Sqrt(s / n) : 1;
        }
        double tMean = targets.Average();
        double tScale = Math.Sqrt(targets.Sum(t => (t - tMean) * (t - tMean)) / n);
        tScale = tScale > 1e-9 ? tScale : 1;

        var x = new float[n * d];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[(i * d) + j] = (float)((features[i][j] - mean[j]) / scale[j]);
            }
            y[i] = (float)((targets[i] - tMean) / tScale);
        }

        var generator = new Generator(options.Seed);
        var net = new Sequential(new Linear(d, options.Hidden, generator), new ReLU(),
            new Linear(options.Hidden, options.Hidden, generator), new ReLU(), new Linear(options.Hidden, 1, generator));
        var optimizer = new Adam(net.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        var schedule = new CosineAnnealingLr(optimizer, options.Epochs, options.LearningRate * 0.05);
        using var input = Tensor.FromArray(x, n, d).DetachFromScope();
        using var target = Tensor.FromArray(y, n, 1).DetachFromScope();
        double last = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = TensorScope.Enter();
            optimizer.ZeroGrad();
            var diff = net.Forward(input) - target;
            var loss = (diff * diff).Mean();
            last = loss.Item();
            loss.Backward();
            optimizer.Step();
            schedule.Step();
        }
        net.Eval();
        return new LatencyPredictor(net, mean, scale, tMean, tScale, baselineMs is not null, last);
    }

    /// <summary>Predicted latency (ms) of each row.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, or the baseline is missing/present against how the
    /// predictor was trained.</exception>
    public double[] Predict(IReadOnlyList<float[]> features, IReadOnlyList<double>? baselineMs = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (_usesBaseline != baselineMs is not null || (baselineMs is not null && baselineMs.Count != features.Count))
        {
            throw new ArgumentException(_usesBaseline
                ? "This predictor was trained on a baseline: pass one baseline latency per row."
                : "This predictor was trained without a baseline: pass none.");
        }
        int n = features.Count, d = Features;
        var x = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            if (features[i].Length != d)
            {
                throw new ArgumentException($"Feature row {i} has {features[i].Length} values; expected {d}.",
                    nameof(features));
            }
            for (int j = 0; j < d; j++)
            {
                x[(i * d) + j] = (float)((features[i][j] - _featureMean[j]) / _featureScale[j]);
            }
        }
        using var noGrad = Tensor.NoGrad();
        using var scope = TensorScope.Enter();
        var output = _net.Forward(Tensor.FromArray(x, n, d)).AsReadOnlySpan();
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double log = (output[i] * _targetScale) + _targetMean + (baselineMs is null ? 0 : Math.Log(baselineMs[i]));
            result[i] = Math.Exp(log);
        }
        return result;
    }
}

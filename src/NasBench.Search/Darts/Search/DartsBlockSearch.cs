using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Darts.Search;

/// <summary>Block-level differentiable search: DARTS first or second order, and EG-DARTS when a
/// <see cref="ComplexityPenalty"/> enhances the α-gradient (darts.md §1.5, §2.2).</summary>
/// <remarks>Each step is the reference order: an α step on a validation batch (Adam), then a weight step on a
/// training batch (SGD with momentum, weight decay, gradient clipping, cosine learning rate per epoch). With a
/// penalty of λ = 0 the α step is exactly DARTS first order.</remarks>
public sealed class DartsBlockSearch
{
    private readonly DartsSupernet _net;
    private readonly List<Parameter> _weights;
    private readonly IReadOnlyList<Parameter> _alphas;
    private readonly ComplexityPenalty? _penalty;
    private float[][]? _saved;
    private float[][]? _direction;
    private bool[]? _weightRequiresGrad;

    public DartsBlockSearch(DartsSupernet net, DartsSearchOptions options, ComplexityPenalty? penalty = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(options);
        _net = net;
        Options = options;
        _penalty = penalty;
        _weights = [.. net.WeightParameters()];
        _alphas = net.ArchitectureParameters();
        WeightOptimizer = new Sgd(_weights, options.WeightLearningRate, options.Momentum,
            weightDecay: options.WeightDecay);
        ArchOptimizer = new Adam(_alphas, options.ArchLearningRate, options.ArchBeta1, options.ArchBeta2,
            weightDecay: options.ArchWeightDecay);
        Schedule = new CosineAnnealingLr(WeightOptimizer, options.Epochs, options.WeightLearningRateMin);
    }

    public DartsSearchOptions Options { get; }

    public Sgd WeightOptimizer { get; }

    public Adam ArchOptimizer { get; }

    public CosineAnnealingLr Schedule { get; }

    public DartsSupernet Network => _net;

    /// <summary>Accuracy on the batch of the last α gradient (at w′ for second order).</summary>
    public double LastValidationAccuracy { get; private set; } = double.NaN;

    /// <summary>One α step on (xVal, yVal) then one weight step on (xTrain, yTrain).</summary>
    public SearchStepResult Step(Tensor xTrain, ReadOnlySpan<int> yTrain, Tensor xVal, ReadOnlySpan<int> yVal,
        int epoch)
    {
        var (valLoss, cost) = ArchitectureStep(xTrain, yTrain, xVal, yVal, epoch);
        double valAccuracy = LastValidationAccuracy;
        var (trainLoss, accuracy) = WeightStep(xTrain, yTrain);
        return new SearchStepResult(trainLoss, accuracy, valLoss, valAccuracy, cost);
    }

    /// <summary>A weight step only (the α warm-up): no α gradient, so the validation figures are NaN.</summary>
    public SearchStepResult WarmupStep(Tensor xTrain, ReadOnlySpan<int> yTrain)
    {
        var (trainLoss, accuracy) = WeightStep(xTrain, yTrain);
        return new SearchStepResult(trainLoss, accuracy, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>Computes the α gradient (first or second order, plus the complexity term) and takes the Adam step.
    /// </summary>
    public (double ValidationLoss, double NormalizedCost) ArchitectureStep(Tensor xTrain, ReadOnlySpan<int> yTrain,
        Tensor xVal, ReadOnlySpan<int> yVal, int epoch)
    {
        double valLoss = Options.SecondOrder
            ? ComputeUnrolledAlphaGradient(xTrain, yTrain, xVal, yVal)
            : ComputeAlphaGradient(xVal, yVal);
        double cost = _penalty?.AddGradient(_alphas[0], _alphas[1], epoch, valLoss) ?? double.NaN;
        ArchOptimizer.Step();
        return (valLoss, cost);
    }

    /// <summary>First-order α gradient: ∇_α L_val(w, α) into α.Grad. Returns the loss.</summary>
    public double ComputeAlphaGradient(Tensor xVal, ReadOnlySpan<int> yVal)
    {
        ArchOptimizer.ZeroGrad();
        double loss = AlphaLossAndBackward(xVal, yVal, out double accuracy);
        LastValidationAccuracy = accuracy;
        ZeroWeightGrads();
        return loss;
    }

    /// <summary>Second-order α gradient (darts.md §1.5): ∇_α L_val(w′, α) − ξ·[∇_α L_train(w⁺) − ∇_α L_train(w⁻)]/(2ε)
    /// with w′ = w − ξ(μ·m + ∇_w L_train + λ_w·w), w± = w ± ε·∇_{w′}L_val, ε = 0.01/‖∇_{w′}L_val‖, ξ = current lr.
    /// Leaves the result in α.Grad and the weights exactly as they were. Returns L_val(w′).</summary>
    public double ComputeUnrolledAlphaGradient(Tensor xTrain, ReadOnlySpan<int> yTrain, Tensor xVal,
        ReadOnlySpan<int> yVal)
    {
        _saved ??= [.. _weights.Select(p => new float[p.Numel])];
        _direction ??= [.. _weights.Select(p => new float[p.Numel])];
        double xi = WeightOptimizer.LearningRate;
        for (int i = 0; i < _weights.Count; i++)
        {
            _weights[i].AsReadOnlySpan().CopyTo(_saved[i]);
        }

        // Virtual step w′ on the training batch, including momentum and weight decay as the optimiser would.
        ZeroWeightGrads();
        LossAndBackward(xTrain, yTrain, out _);
        for (int i = 0; i < _weights.Count; i++)
        {
            var p = _weights[i];
            var w = p.AsSpan();
            var g = p.Grad is null ? ReadOnlySpan<float>.Empty : p.Grad.AsReadOnlySpan();
            var m = WeightOptimizer.HasState(p) && WeightOptimizer.State(p).Buffers.TryGetValue("momentum_buffer",
                out var buffer) ? buffer.AsReadOnlySpan() : ReadOnlySpan<float>.Empty;
            for (int j = 0; j < w.Length; j++)
            {
                double step = (g.IsEmpty ? 0 : g[j]) + (Options.WeightDecay * _saved[i][j])
                    + (m.IsEmpty ? 0 : Options.Momentum * m[j]);
                w[j] = (float)(_saved[i][j] - (xi * step));
            }
        }

        // ∇_α L_val(w′) and v = ∇_{w′} L_val.
        ZeroWeightGrads();
        ArchOptimizer.ZeroGrad();
        double valLoss = LossAndBackward(xVal, yVal, out double valAccuracy);
        LastValidationAccuracy = valAccuracy;
        var alphaGrad = _alphas.Select(a => a.Grad!.ToArray()).ToArray();
        double norm = 0;
        for (int i = 0; i < _weights.Count; i++)
        {
            var g = _weights[i].Grad;
            if (g is null)
            {
                Array.Clear(_direction[i]);
                continue;
            }
            g.AsReadOnlySpan().CopyTo(_direction[i]);
            foreach (float v in _direction[i])
            {
                norm += (double)v * v;
            }
        }
        double eps = 0.01 / Math.Sqrt(Math.Max(norm, 1e-30));

        // Hessian-vector product by central differences around the ORIGINAL w, on the training batch.
        var plus = AlphaGradientAt(+eps, xTrain, yTrain);
        var minus = AlphaGradientAt(-eps, xTrain, yTrain);
        for (int i = 0; i < _weights.Count; i++)
        {
            _saved[i].CopyTo(_weights[i].AsSpan());
        }
        ZeroWeightGrads();
        ArchOptimizer.ZeroGrad();
        for (int a = 0; a < _alphas.Count; a++)
        {
            var grad = new float[alphaGrad[a].Length];
            for (int j = 0; j < grad.Length; j++)
            {
                grad[j] = (float)(alphaGrad[a][j] - (xi * (plus[a][j] - minus[a][j]) / (2 * eps)));
            }
            _alphas[a].Grad = Tensor.FromArray(grad, _alphas[a].Shape).DetachFromScope();
        }
        return valLoss;
    }

    /// <summary>One SGD step of the weights on a training batch; returns loss and accuracy.</summary>
    public (double Loss, double Accuracy) WeightStep(Tensor xTrain, ReadOnlySpan<int> yTrain)
    {
        WeightOptimizer.ZeroGrad();
        double loss = LossAndBackward(xTrain, yTrain, out double accuracy);
        GradientClipping.ClipGradNorm(_weights, Options.GradientClip);
        WeightOptimizer.Step();
        ArchOptimizer.ZeroGrad();
        return (loss, accuracy);
    }

    /// <summary>Advances the cosine learning-rate schedule; call once at the end of each epoch.</summary>
    public void EndEpoch() => Schedule.Step();

    private float[][] AlphaGradientAt(double eps, Tensor x, ReadOnlySpan<int> y)
    {
        for (int i = 0; i < _weights.Count; i++)
        {
            var w = _weights[i].AsSpan();
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = (float)(_saved![i][j] + (eps * _direction![i][j]));
            }
        }
        ArchOptimizer.ZeroGrad();
        AlphaLossAndBackward(x, y, out _);
        ZeroWeightGrads();
        return [.. _alphas.Select(a => a.Grad!.ToArray())];
    }

    /// <summary><see cref="LossAndBackward"/> for α's gradient only: the weights stop requiring grad for the pass.
    /// </summary>
    /// <remarks>Why: the reference implementation computes every weight gradient of the validation pass and throws
    /// it away. With the weights frozen no op computes a weight gradient (the backward-weight GEMMs and depthwise
    /// tap dots), and ops none of whose inputs need a gradient record no backward at all: the stem, and the first
    /// cell's pre-processing and its edges from the two cell inputs. α's gradient is the same bit for bit, since
    /// every gradient that reaches α is computed by the same kernels in the same order.</remarks>
    private double AlphaLossAndBackward(Tensor x, ReadOnlySpan<int> y, out double accuracy)
    {
        _weightRequiresGrad ??= new bool[_weights.Count];
        for (int i = 0; i < _weights.Count; i++)
        {
            _weightRequiresGrad[i] = _weights[i].RequiresGrad;
            _weights[i].RequiresGrad = false;
        }
        try
        {
            return LossAndBackward(x, y, out accuracy);
        }
        finally
        {
            for (int i = 0; i < _weights.Count; i++)
            {
                _weights[i].RequiresGrad = _weightRequiresGrad[i];
            }
        }
    }

    private double LossAndBackward(Tensor x, ReadOnlySpan<int> y, out double accuracy)
    {
        using var scope = TensorScope.Enter();
        var logits = _net.Forward(x);
        var loss = Functional.CrossEntropy(logits, y);
        double value = loss.Item();
        var predicted = logits.ArgMaxRows();
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            correct += predicted[i] == y[i] ? 1 : 0;
        }
        accuracy = correct / (double)y.Length;
        loss.Backward();
        return value;
    }

    private void ZeroWeightGrads()
    {
        foreach (var p in _weights)
        {
            p.ZeroGrad();
        }
    }
}

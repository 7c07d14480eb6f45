using System.Numerics.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (PyTorch's rule).
/// </summary>
/// <remarks><c>g = ∇ + wd·p; b = μ·b + (1 − dampening)·g (b = g on the first step); g = g + μ·b (Nesterov) or b;
/// p = p − lr·g</c>. The momentum buffer is the state entry <c>momentum_buffer</c>.</remarks>
public sealed class Sgd : Optimizer
{
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Sgd: Nesterov momentum needs momentum > 0 and zero dampening.");
        }
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public double Dampening { get; }

    public double WeightDecay { get; set; }

    public bool Nesterov { get; }

    protected override void Update(Parameter parameter, ReadOnlySpan<float> grad, ParameterState state,
        Span<float> scratch)
    {
        var p = parameter.AsSpan();
        var g = scratch;
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(p, (float)WeightDecay, grad, g);
        }
        else
        {
            grad.CopyTo(g);
        }
        if (Momentum != 0)
        {
            var buffer = state.GetOrCreate("momentum_buffer", parameter, out bool created).AsSpan();
            if (created)
            {
                g.CopyTo(buffer);
            }
            else
            {
                TensorPrimitives.Multiply(buffer, (float)Momentum, buffer);
                TensorPrimitives.MultiplyAdd(g, (float)(1 - Dampening), buffer, buffer);
            }
            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(buffer, (float)Momentum, g, g);
            }
            else
            {
                buffer.CopyTo(g);
            }
        }
        TensorPrimitives.MultiplyAdd(g, (float)-LearningRate, p, p);
    }
}

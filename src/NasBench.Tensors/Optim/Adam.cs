using System.Numerics.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Optim;

/// <summary>Adam (Kingma and Ba 2015) with optional L2 weight decay added to the gradient; <see cref="AdamW"/>
/// decouples the decay instead.</summary>
/// <remarks><c>m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; p = p − lr·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)</c>.
/// State entries: <c>exp_avg</c> (m) and <c>exp_avg_sq</c> (v).</remarks>
public class Adam : Optimizer
{
    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double WeightDecay { get; set; }

    /// <summary>True when weight decay shrinks the parameter directly (AdamW) rather than joining the gradient.
    /// </summary>
    protected virtual bool DecoupledWeightDecay => false;

    protected override void Update(Parameter parameter, ReadOnlySpan<float> grad, ParameterState state,
        Span<float> scratch)
    {
        var p = parameter.AsSpan();
        var g = grad;
        if (WeightDecay != 0)
        {
            if (DecoupledWeightDecay)
            {
                TensorPrimitives.Multiply(p, (float)(1 - (LearningRate * WeightDecay)), p);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(p, (float)WeightDecay, grad, scratch);
                g = scratch;
            }
        }
        var m = state.GetOrCreate("exp_avg", parameter, out _).AsSpan();
        var v = state.GetOrCreate("exp_avg_sq", parameter, out _).AsSpan();
        TensorPrimitives.Multiply(m, (float)Beta1, m);
        TensorPrimitives.MultiplyAdd(g, (float)(1 - Beta1), m, m);
        TensorPrimitives.Multiply(v, (float)Beta2, v);
        // v += (1 − β₂)·g², element by element: scratch may hold g, so no second temporary is needed.
        float oneMinusBeta2 = (float)(1 - Beta2);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] += oneMinusBeta2 * g[i] * g[i];
        }
        double bc1 = 1 - Math.Pow(Beta1, state.Step);
        double bc2 = 1 - Math.Pow(Beta2, state.Step);
        float stepSize = (float)(LearningRate / bc1);
        float invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        float eps = (float)Eps;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) * invSqrtBc2) + eps);
        }
    }
}

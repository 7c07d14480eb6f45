using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019): <c>p = p·(1 − lr·wd)</c> before the Adam
/// step. PyTorch's default decay 0.01.</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
    double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay)
{
    protected override bool DecoupledWeightDecay => true;
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>The batch norm of a growable unit: γ, β and running statistics that are copied channel by channel when a
/// channel is split (splitting.md §1.5 step 2).</summary>
public sealed class UnitBatchNorm : Module
{
    public const float Eps = 1e-5f;

    public const float Momentum = 0.1f;

    public UnitBatchNorm(int channels)
    {
        var ones = Enumerable.Repeat(1f, channels).ToArray();
        Set(ChannelGather.NewParameter(ones, channels), ChannelGather.NewParameter(new float[channels], channels),
            ChannelGather.NewBuffer(new float[channels], channels), ChannelGather.NewBuffer(ones, channels));
    }

    /// <summary>γ [C].</summary>
    public Parameter Gamma { get; private set; } = null!;

    /// <summary>β [C].</summary>
    public Parameter Beta { get; private set; } = null!;

    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean { get; private set; } = null!;

    /// <summary>Running variance [C].</summary>
    public Tensor RunningVar { get; private set; } = null!;

    public int Channels => Gamma.Numel;

    /// <summary>[N, C, H, W] or [N, C] → same shape; batch statistics in training, running statistics otherwise.
    /// </summary>
    public Tensor Forward(Tensor x, bool training) =>
        Functional.BatchNorm(x, RunningMean, RunningVar, Gamma, Beta, training, Momentum, Eps);

    /// <summary>c_j² = γ_j² / (running_var_j + eps) as a [C] tensor: the square of the eval-mode scale folded into the
    /// splitting matrix (splitting.md §2.2).</summary>
    public Tensor ScaleSquared()
    {
        var t = Tensor.Empty(Channels);
        var g = Gamma.AsReadOnlySpan();
        var v = RunningVar.AsReadOnlySpan();
        var s = t.AsSpan();
        for (int j = 0; j < s.Length; j++)
        {
            s[j] = g[j] * g[j] / (v[j] + Eps);
        }
        return t;
    }

    /// <summary>Channel c' becomes a copy of channel map[c'] (γ, β, running mean and variance).</summary>
    public void Gather(int[] map) => Set(
        ChannelGather.NewParameter(ChannelGather.Rows(Gamma, map), map.Length),
        ChannelGather.NewParameter(ChannelGather.Rows(Beta, map), map.Length),
        ChannelGather.NewBuffer(ChannelGather.Rows(RunningMean, map), map.Length),
        ChannelGather.NewBuffer(ChannelGather.Rows(RunningVar, map), map.Length));

    private void Set(Parameter gamma, Parameter beta, Tensor mean, Tensor variance)
    {
        Gamma = gamma;
        Beta = beta;
        RunningMean = mean;
        RunningVar = variance;
        RegisterParameter("weight", gamma);
        RegisterParameter("bias", beta);
        RegisterBuffer("running_mean", mean);
        RegisterBuffer("running_var", variance);
    }
}

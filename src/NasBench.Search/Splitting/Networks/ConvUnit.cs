using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>k×k convolution (padding k/2, no bias) → batch norm → Swish. Splittable: neuron j is output channel j with
/// θ_j = W[j] (d = C_in·k·k).</summary>
/// <remarks>Input [N, C_in, H, W] → [N, C_out, ⌈H/s⌉, ⌈W/s⌉].</remarks>
public sealed class ConvUnit : SplittableUnit
{
    private Parameter _weight = null!;

    public ConvUnit(int inChannels, int outChannels, int kernel, int stride, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (kernel is not (1 or 3) || stride < 1 || inChannels < 1 || outChannels < 1)
        {
            throw new ArgumentException(
                $"ConvUnit: need kernel 1 or 3, stride ≥ 1 and positive widths; got k={kernel}, s={stride}, "
                + $"{inChannels}→{outChannels}.");
        }
        Kernel = kernel;
        Stride = stride;
        var w = new Parameter(outChannels, inChannels, kernel, kernel);
        Init.KaimingNormal(w, generator);
        SetWeight(w);
        Norm = new UnitBatchNorm(outChannels);
        RegisterModule("bn", Norm);
    }

    public int Kernel { get; }

    public int Stride { get; }

    public UnitBatchNorm Norm { get; }

    public override Parameter Weight => _weight;

    public override int InWidth => _weight.Shape[1];

    public override int OutWidth => _weight.Shape[0];

    public override ChannelRole Role => ChannelRole.Mixing;

    public override UnitSpec Spec => new(UnitKinds.Conv, OutWidth, Kernel, Stride);

    public override Tensor Forward(Tensor x, ProbeSlot? probe)
    {
        var a = Norm.Forward(Map(x, _weight), IsTraining);
        return Activate(x, a, probe);
    }

    public override Tensor Map(Tensor x, Tensor kernel) =>
        Functional.Conv2d(x, kernel, null, Stride, Kernel / 2);

    public override Tensor ScaleSquared() => Norm.ScaleSquared();

    public override void SplitOutputs(int[] map, float[]?[] delta)
    {
        var rows = SplitWeightRows(map, delta);
        SetWeight(ChannelGather.NewParameter(rows, map.Length, InWidth, Kernel, Kernel));
        Norm.Gather(map);
    }

    public override void FollowInputSplit(int[] map, float[] scale) =>
        SetWeight(ChannelGather.NewParameter(ChannelGather.Inputs(_weight, map, scale), OutWidth, map.Length, Kernel,
            Kernel));

    private void SetWeight(Parameter w)
    {
        _weight = w;
        RegisterParameter("weight", w);
    }
}

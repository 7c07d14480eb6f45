using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Fully connected layer with bias → Swish. Splittable: neuron j is output unit j with θ_j = W[j] (d = in);
/// the bias is copied on split.</summary>
/// <remarks>Input [N, in] → [N, out].</remarks>
public sealed class HiddenLinearUnit : SplittableUnit
{
    private Parameter _weight = null!;
    private Parameter _bias = null!;

    public HiddenLinearUnit(int inFeatures, int outFeatures, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var w = new Parameter(outFeatures, inFeatures);
        var b = new Parameter(outFeatures);
        // PyTorch's nn.Linear default: Kaiming-uniform with a = √5, bias U(±1/√fan_in).
        Init.KaimingUniform(w, generator, Math.Sqrt(5));
        double bound = 1 / Math.Sqrt(inFeatures);
        Init.Uniform(b, generator, -bound, bound);
        Set(w, b);
    }

    public override Parameter Weight => _weight;

    public Parameter Bias => _bias;

    public override int InWidth => _weight.Shape[1];

    public override int OutWidth => _weight.Shape[0];

    public override ChannelRole Role => ChannelRole.Mixing;

    public override UnitSpec Spec => new(UnitKinds.Linear, OutWidth);

    public override Tensor Forward(Tensor x, ProbeSlot? probe) =>
        Activate(x, Functional.Linear(x, _weight, _bias), probe);

    public override Tensor Map(Tensor x, Tensor kernel) => Functional.Linear(x, kernel);

    public override Tensor ScaleSquared() => Tensor.Ones(OutWidth);

    public override void SplitOutputs(int[] map, float[]?[] delta)
    {
        var rows = SplitWeightRows(map, delta);
        Set(ChannelGather.NewParameter(rows, map.Length, InWidth),
            ChannelGather.NewParameter(ChannelGather.Rows(_bias, map), map.Length));
    }

    public override void FollowInputSplit(int[] map, float[] scale) =>
        Set(ChannelGather.NewParameter(ChannelGather.Inputs(_weight, map, scale), OutWidth, map.Length), _bias);

    private void Set(Parameter w, Parameter b)
    {
        _weight = w;
        _bias = b;
        RegisterParameter("weight", w);
        RegisterParameter("bias", b);
    }
}

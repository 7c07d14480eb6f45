using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>The logits layer x·Wᵀ + b; a consumer only (its columns are duplicated and scaled on a split).</summary>
/// <remarks>Input [N, in] → [N, classes].</remarks>
public sealed class ClassifierUnit : GrowableUnit
{
    private Parameter _weight = null!;
    private Parameter _bias = null!;

    public ClassifierUnit(int inFeatures, int classes, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var w = new Parameter(classes, inFeatures);
        var b = new Parameter(classes);
        // PyTorch's nn.Linear default: Kaiming-uniform with a = √5, bias U(±1/√fan_in).
        Init.KaimingUniform(w, generator, Math.Sqrt(5));
        double bound = 1 / Math.Sqrt(inFeatures);
        Init.Uniform(b, generator, -bound, bound);
        Set(w, b);
    }

    public Parameter Weight => _weight;

    public override int InWidth => _weight.Shape[1];

    public override int OutWidth => _weight.Shape[0];

    public override ChannelRole Role => ChannelRole.Mixing;

    public override UnitSpec Spec => new(UnitKinds.Classifier, OutWidth);

    public override Tensor Forward(Tensor x, ProbeSlot? probe) => Functional.Linear(x, _weight, _bias);

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

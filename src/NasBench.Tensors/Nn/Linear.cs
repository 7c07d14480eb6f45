namespace NasBench.Tensors.Nn;

/// <summary>Fully connected layer y = x·Wᵀ + b with PyTorch's default initialisation.</summary>
/// <remarks>weight [out, in], bias [out]; input [B, in] → [B, out].</remarks>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(int inFeatures, int outFeatures, Generator generator, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = new Parameter(outFeatures, inFeatures);
        var b = bias ? new Parameter(outFeatures) : null;
        Init.PyTorchDefault(weight, b, generator);
        Weight = weight;
        Bias = b;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Parameter Weight
    {
        get;
        set
        {
            field = value;
            RegisterParameter("weight", value);
        }
    }

    public Parameter? Bias
    {
        get;
        set
        {
            field = value;
            RegisterParameter("bias", value);
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}

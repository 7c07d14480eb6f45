namespace NasBench.Tensors.Nn;

/// <summary>2-D convolution layer with PyTorch's default initialisation.</summary>
/// <remarks>weight [out, in / groups, k, k], bias [out] (optional). Input [N, in, H, W] → [N, out, OH, OW].</remarks>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1,
        int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Conv2d: groups ({groups}) must divide in_channels ({inChannels}) and out_channels ({outChannels}).");
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var weight = new Parameter(outChannels, inChannels / groups, kernelSize, kernelSize);
        var b = bias ? new Parameter(outChannels) : null;
        Init.PyTorchDefault(weight, b, generator);
        Weight = weight;
        Bias = b;
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int Dilation { get; }

    public int Groups { get; }

    /// <summary>[out, in / groups, k, k]. Setting replaces the registered parameter (network growth).</summary>
    public Parameter Weight
    {
        get;
        set
        {
            field = value;
            RegisterParameter("weight", value);
        }
    }

    /// <summary>[out], or null without bias.</summary>
    public Parameter? Bias
    {
        get;
        set
        {
            field = value;
            RegisterParameter("bias", value);
        }
    }

    public override Tensor Forward(Tensor input) =>
        Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary><c>Forward(relu(input))</c> with the ReLU fused into the convolution
    /// (<see cref="Functional.ReluConv2d"/>): relu(input) is never written or kept. Same value and gradients.
    /// </summary>
    public Tensor ForwardOfRelu(Tensor input) =>
        Functional.ReluConv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}

namespace NasBench.Tensors.Nn;

/// <summary>Weight initialisers (PyTorch's <c>nn.init</c>); each fills a tensor in place from an explicit
/// <see cref="Generator"/>.</summary>
/// <remarks>For a weight [out, in, k...], fan_in = in·Πk and fan_out = out·Πk. Kaiming (He et al. 2015): std =
/// gain / √fan with gain = √(2 / (1 + a²)) for (leaky) ReLU; the uniform form draws from ±√3·std. PyTorch's default
/// for Linear and Conv2d is Kaiming-uniform with a = √5, i.e. U(±1/√fan_in), and bias U(±1/√fan_in).</remarks>
public static class Init
{
    /// <summary>(fan_in, fan_out) of a weight of rank ≥ 2.</summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException($"Fan in/out needs a tensor of rank at least 2, got {tensor.Describe()}.");
        }
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++)
        {
            receptive *= tensor.Shape[d];
        }
        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    /// <summary>The gain PyTorch recommends for ReLU-family activations with negative slope <paramref name="a"/>.
    /// </summary>
    public static double ReluGain(double a = 0) => Math.Sqrt(2.0 / (1 + (a * a)));

    /// <summary>He-normal: N(0, gain²/fan).</summary>
    public static Tensor KaimingNormal(Tensor tensor, Generator generator, double a = 0, FanMode mode = FanMode.FanIn)
    {
        ArgumentNullException.ThrowIfNull(generator);
        double std = ReluGain(a) / Math.Sqrt(Fan(tensor, mode));
        generator.FillNormal(tensor.AsSpan(), 0f, (float)std);
        return tensor;
    }

    /// <summary>He-uniform: U(±√3·gain/√fan).</summary>
    public static Tensor KaimingUniform(Tensor tensor, Generator generator, double a = 0, FanMode mode = FanMode.FanIn)
    {
        double bound = Math.Sqrt(3.0) * ReluGain(a) / Math.Sqrt(Fan(tensor, mode));
        return Uniform(tensor, generator, -bound, bound);
    }

    /// <summary>U(low, high).</summary>
    public static Tensor Uniform(Tensor tensor, Generator generator, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        generator.FillUniform(tensor.AsSpan(), (float)low, (float)high);
        return tensor;
    }

    /// <summary>N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, Generator generator, double mean = 0, double std = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        generator.FillNormal(tensor.AsSpan(), (float)mean, (float)std);
        return tensor;
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.AsSpan().Fill(value);
        return tensor;
    }

    /// <summary>PyTorch's default initialisation of a Linear/Conv2d weight and bias.</summary>
    internal static void PyTorchDefault(Tensor weight, Tensor? bias, Generator generator)
    {
        KaimingUniform(weight, generator, a: Math.Sqrt(5));
        if (bias is not null)
        {
            var (fanIn, _) = CalculateFanInAndFanOut(weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Uniform(bias, generator, -bound, bound);
        }
    }

    private static int Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        return fan > 0 ? fan : throw new ArgumentException($"Cannot initialise {tensor.Describe()}: its fan is zero.");
    }
}

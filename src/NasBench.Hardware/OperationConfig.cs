using System.Globalization;

namespace NasBench.Hardware;

/// <summary>One operation as a search space places it: what it is and the exact shape it runs on. The unit of
/// latency tables and cost models.</summary>
/// <param name="Operation">The space's name for it (e.g. <c>sep_conv_3x3</c>).</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="Batch">Batch size the cost refers to (latency depends on it; parameters do not).</param>
public readonly record struct OperationConfig(string Operation, int InChannels, int OutChannels, int Height, int Width,
    int Stride, int Kernel, int Dilation, int Batch)
{
    public int OutHeight => ((Height - 1) / Stride) + 1;

    public int OutWidth => ((Width - 1) / Stride) + 1;

    /// <summary>Stable text key, e.g. <c>sep_conv_3x3/c16-16/28x28/s1/k3/d1/b64</c>, used to index latency tables.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{Operation}/c{InChannels}-{OutChannels}/{Height}x{Width}/s{Stride}/k{Kernel}/d{Dilation}/b{Batch}");

    public override string ToString() => Key;
}

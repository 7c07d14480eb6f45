using NasBench.Hardware;
using NasBench.Hardware.Cost;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts.Search;

/// <summary>A supernet small enough to differentiate numerically, and a deterministic batch source.</summary>
internal static class TinySearch
{
    public static readonly SupernetConfig Config =
        new(InitChannels: 4, Layers: 3, Classes: 3, InputChannels: 1, InputHeight: 6, InputWidth: 6, StemMultiplier: 1);

    public static DartsSupernet Supernet(ulong seed = 11) => new(Config, new Generator(seed));

    /// <summary>A batch whose label depends on the image, so there is something to learn.</summary>
    public static (Tensor X, int[] Y) Batch(int seed, int n = 6)
    {
        var gen = new Generator((ulong)seed);
        var x = Tensor.Randn(gen, n, 1, 6, 6).DetachFromScope();
        var data = x.AsSpan();
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            data[(i * 36) + (y[i] * 12)] += 3f;
        }
        return (x, y);
    }

    /// <summary>Parameter-like costs: separable and dilated convolutions are expensive, the rest nearly free.</summary>
    public sealed class ConvolutionCost : ICostModel
    {
        public string Name => "test-params";

        public string Unit => "parameters";

        public double Cost(OperationConfig op)
        {
            double c = op.InChannels, k = op.Kernel;
            return op.Operation switch
            {
                "sep_conv_3x3" or "sep_conv_5x5" => 2 * ((k * k * c) + (c * c)),
                "dil_conv_3x3" or "dil_conv_5x5" => (k * k * c) + (c * c),
                "skip_connect" => op.Stride == 2 ? c * c : 0,
                _ => 0,
            };
        }
    }
}

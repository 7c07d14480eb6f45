using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;
using NasBench.Tensors.Profiling;

namespace NasBench.Search.Tests.Darts;

/// <summary>Evaluation-network MACs from <see cref="MacCounter"/> against a layer-by-layer formula worked out from
/// darts.md §1.2/§1.8, independently of the network builder.</summary>
public class NetworkMacTests
{
    /// <summary>MACs of a factorized reduce cin → cout on a map of side <paramref name="inSize"/>: two 1×1 stride-2
    /// convolutions to cout/2. Path B runs with padding 1 on a map one row and column larger and is then narrowed
    /// (the odd-size handling of <c>FactorizedReduce</c>), and the counter reports the MACs actually computed.</summary>
    private static long FactorizedReduceMacs(long cin, long cout, long inSize)
    {
        long a = ((inSize - 1) / 2) + 1;
        long b = ((inSize + 1) / 2) + 1;
        return cin * (cout / 2) * ((a * a) + (b * b));
    }

    /// <summary>MACs of one candidate op producing a c-channel map of side <paramref name="size"/> from a map of side
    /// <paramref name="inSize"/>.</summary>
    private static long OpMacs(string op, long c, int stride, long inSize, long size)
    {
        long area = size * size;
        return op switch
        {
            // Two (depthwise k×k + pointwise 1×1) halves, the first one strided: all at the output size.
            "sep_conv_3x3" => 2 * ((9 * c) + (c * c)) * area,
            "sep_conv_5x5" => 2 * ((25 * c) + (c * c)) * area,
            "dil_conv_3x3" => ((9 * c) + (c * c)) * area,
            "dil_conv_5x5" => ((25 * c) + (c * c)) * area,
            "skip_connect" => stride == 2 ? FactorizedReduceMacs(c, c, inSize) : 0,
            _ => 0, // none and the pools: no multiply-accumulates
        };
    }

    private static long ExpectedMacs(Genotype g, NetworkConfig cfg)
    {
        long stem = cfg.StemMultiplier * cfg.InitChannels;
        long size = cfg.InputHeight;
        long total = cfg.InputChannels * stem * 9 * size * size;
        long cpp = stem, cp = stem, c = cfg.InitChannels;
        long sizePrevPrev = size, sizePrev = size;
        bool reductionPrev = false;
        for (int i = 0; i < cfg.Layers; i++)
        {
            bool red = i == cfg.Layers / 3 || i == 2 * cfg.Layers / 3;
            long inSize = sizePrev;
            long outSize = red ? ((inSize - 1) / 2) + 1 : inSize;
            if (red)
            {
                c *= 2;
            }
            // Preprocessing maps both inputs to c channels at the size of s1: a 1×1 ReLU-conv-BN, or a factorized
            // reduce for s0 when the previous cell halved the resolution.
            total += reductionPrev ? FactorizedReduceMacs(cpp, c, sizePrevPrev) : cpp * c * inSize * inSize;
            total += cp * c * inSize * inSize;
            foreach (var e in red ? g.Reduce : g.Normal)
            {
                bool strided = red && e.Input < 2;
                total += OpMacs(e.Operation, c, strided ? 2 : 1, strided ? inSize : outSize, outSize);
            }
            (cpp, cp) = (cp, c * (red ? g.ReduceConcat.Count : g.NormalConcat.Count));
            (sizePrevPrev, sizePrev) = (sizePrev, outSize);
            reductionPrev = red;
        }
        return total + (cp * cfg.Classes);
    }

    [Theory]
    [InlineData("DARTS_V2", 4, 5, 28)]
    [InlineData("DARTS_V1", 4, 5, 28)]
    [InlineData("DARTS_V2", 8, 3, 16)]
    public void Evaluation_network_macs_match_layer_by_layer(string name, int c, int layers, int size)
    {
        var g = PublishedGenotypes.ByName[name];
        var cfg = new NetworkConfig(c, layers, 10, InputChannels: 1, InputHeight: size, InputWidth: size);
        var net = new DartsNetwork(g, cfg, new Generator(1));
        var stats = ModelStatistics.Measure(net, [1, size, size]);
        Assert.Equal(ExpectedMacs(g, cfg), stats.MacsPerSample);
        Assert.Equal(net.CountParameters(), stats.Parameters);
    }

    [Fact]
    public void Auxiliary_head_adds_training_macs_only()
    {
        var g = PublishedGenotypes.DartsV2;
        var plain = new DartsNetwork(g, new NetworkConfig(4, 3), new Generator(1));
        var withHead = new DartsNetwork(g, new NetworkConfig(4, 3, Auxiliary: true), new Generator(1));
        long inference = ModelStatistics.Measure(withHead, [1, 28, 28]).MacsPerSample;
        Assert.Equal(ModelStatistics.Measure(plain, [1, 28, 28]).MacsPerSample, inference);
        // Head on the 7×7 map after cell 2, the second reduction (C_prev = 4·16 = 64): pool to 2×2, 1×1 conv → 128,
        // 2×2 conv → 768 (1×1 output), linear → 10.
        long head = (64 * 128 * 4) + (128 * 768 * 4) + (768 * 10);
        Assert.Equal(inference + head, ModelStatistics.Measure(withHead, [1, 28, 28], trainingMode: true).MacsPerSample);
    }
}

using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts;

/// <summary>Parameter counts worked out layer by layer from darts.md §1.2/§1.4/§1.8, independently of the builders.
/// </summary>
public class ParameterCountTests
{
    /// <summary>Parameters of one candidate op at C channels; <paramref name="affine"/> adds BN's 2C per BN.</summary>
    private static long OpParameters(string op, long c, int stride, bool affine)
    {
        long bn = affine ? 2 * c : 0;
        return op switch
        {
            "sep_conv_3x3" => 2 * ((9 * c) + (c * c) + bn),
            "sep_conv_5x5" => 2 * ((25 * c) + (c * c) + bn),
            "dil_conv_3x3" => (9 * c) + (c * c) + bn,
            "dil_conv_5x5" => (25 * c) + (c * c) + bn,
            "skip_connect" => stride == 2 ? (c * c) + bn : 0,
            _ => 0, // none and the pools (the search network's pool BN has no affine parameters)
        };
    }

    private static long ExpectedNetwork(Genotype g, NetworkConfig cfg)
    {
        long stem = cfg.StemMultiplier * cfg.InitChannels;
        long total = (cfg.InputChannels * stem * 9) + (2 * stem);
        long cpp = stem, cp = stem, c = cfg.InitChannels;
        for (int i = 0; i < cfg.Layers; i++)
        {
            bool red = i == cfg.Layers / 3 || i == 2 * cfg.Layers / 3;
            if (red)
            {
                c *= 2;
            }
            total += (cpp * c) + (2 * c) + (cp * c) + (2 * c); // both pre-processing blocks (FR has the same count)
            var edges = red ? g.Reduce : g.Normal;
            foreach (var e in edges)
            {
                total += OpParameters(e.Operation, c, red && e.Input < 2 ? 2 : 1, affine: true);
            }
            (cpp, cp) = (cp, c * (red ? g.ReduceConcat.Count : g.NormalConcat.Count));
        }
        return total + (cp * cfg.Classes) + cfg.Classes;
    }

    [Theory]
    [InlineData("DARTS_V1", 16, 8, 10)]
    [InlineData("DARTS_V2", 16, 8, 10)]
    [InlineData("DARTS_V2", 36, 20, 10)]
    [InlineData("DARTS_V2", 8, 5, 100)]
    public void Evaluation_network_count_matches_layer_by_layer(string name, int c, int layers, int classes)
    {
        var g = PublishedGenotypes.ByName[name];
        var cfg = new NetworkConfig(c, layers, classes, InputChannels: 3, InputHeight: 32, InputWidth: 32);
        var net = new DartsNetwork(g, cfg, new Generator(1));
        Assert.Equal(ExpectedNetwork(g, cfg), net.CountParameters());
    }

    [Fact]
    public void Reference_cifar10_darts_v2_has_about_3_3_million_parameters()
    {
        // The DARTS README reports 3.3M parameters for DARTS_V2 at C = 36, 20 cells, CIFAR-10.
        var cfg = new NetworkConfig(36, 20, 10, InputChannels: 3, InputHeight: 32, InputWidth: 32, Auxiliary: true);
        var net = new DartsNetwork(PublishedGenotypes.DartsV2, cfg, new Generator(1));
        Assert.InRange(net.CountParameters() / 1e6, 3.25, 3.40);
        long aux = (128 * 576) + 256 + (128 * 768 * 4) + (2 * 768) + (768 * 10) + 10; // 576 = 4·144 channels at cell 13
        Assert.Equal(aux, net.CountParameters(includeAuxiliary: true) - net.CountParameters());
    }

    [Fact]
    public void Supernet_count_matches_layer_by_layer()
    {
        var cfg = new SupernetConfig(InitChannels: 16, Layers: 5, Classes: 10, StemMultiplier: 1);
        var net = new DartsSupernet(cfg, new Generator(3));
        long stem = 16, total = 9 * stem + 2 * stem, cpp = stem, cp = stem, c = 16;
        for (int i = 0; i < 5; i++)
        {
            bool red = i == 1 || i == 3;
            if (red)
            {
                c *= 2;
            }
            total += (cpp * c) + (cp * c);
            for (int node = 0; node < 4; node++)
            {
                for (int j = 0; j < node + 2; j++)
                {
                    total += DartsOperations.All.Sum(op => OpParameters(op, c, red && j < 2 ? 2 : 1, affine: false));
                }
            }
            (cpp, cp) = (cp, 4 * c);
        }
        total += (cp * 10) + 10;
        Assert.Equal(total, net.WeightParameters().Sum(p => (long)p.Numel));
        Assert.Equal(2 * 14 * 8, net.ArchitectureParameters().Sum(p => p.Numel));
    }
}

using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Darts;

public class NetworkForwardTests
{
    [Fact]
    public void Peer_supernet_has_the_size_peers_md_reports()
    {
        // peers.md §3c: the PyTorch peer supernet (C = 16, 5 cells, stem 1→16) has 1.27 M weights.
        var net = new DartsSupernet(new SupernetConfig(16, 5, 10, StemMultiplier: 1), new Generator(0));
        Assert.InRange(net.WeightParameters().Sum(p => (long)p.Numel) / 1e6, 1.265, 1.275);
    }

    [Fact]
    public void Supernet_forward_and_backward_reach_weights_and_alpha()
    {
        var gen = new Generator(5);
        var net = new DartsSupernet(new SupernetConfig(4, 3, 3, InputHeight: 8, InputWidth: 8, StemMultiplier: 1), gen);
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(gen, 2, 1, 8, 8);
        var logits = net.Forward(x);
        Assert.Equal([2, 3], logits.Shape.ToArray());
        Functional.CrossEntropy(logits, [0, 2]).Backward();
        Assert.All(net.ArchitectureParameters(), a => Assert.NotNull(a.Grad));
        Assert.Contains(net.ArchitectureParameters()[0].Grad!.ToArray(), v => v != 0);
        Assert.All(net.WeightParameters(), p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void Evaluation_network_with_auxiliary_head_on_28x28()
    {
        var gen = new Generator(6);
        var net = new DartsNetwork(PublishedGenotypes.DartsV2, new NetworkConfig(4, 5, 10, Auxiliary: true), gen)
        {
            DropPathProbability = 0.2f,
        };
        using var scope = TensorScope.Enter();
        var logits = net.Forward(Tensor.Randn(gen, 2, 1, 28, 28));
        Assert.Equal([2, 10], logits.Shape.ToArray());
        Assert.NotNull(net.AuxiliaryLogits);
        Assert.Equal([2, 10], net.AuxiliaryLogits!.Shape.ToArray());
        net.Eval();
        net.Forward(Tensor.Randn(gen, 2, 1, 28, 28));
        Assert.Null(net.AuxiliaryLogits);
    }
}

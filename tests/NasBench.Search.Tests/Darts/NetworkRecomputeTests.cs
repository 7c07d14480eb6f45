using NasBench.Search.Darts;
using NasBench.Search.Darts.Network;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Tests.Darts;

public class NetworkRecomputeTests
{
    // Five cells put reductions at cells 1 and 3, and the auxiliary head after cell 3: normal, reduction and
    // reduction-after-normal cells, FactorizedReduce preprocessing, pools, skips, separable and dilated convolutions.
    private static readonly NetworkConfig Small = new(InitChannels: 4, Layers: 5, Classes: 3, Auxiliary: true);

    [Fact]
    public void Recomputation_is_off_by_default_and_set_on_every_cell()
    {
        var net = new DartsNetwork(PublishedGenotypes.DartsV2, Small, new Generator(1));
        var cells = net.NamedModules().Select(m => m.Module).OfType<DiscreteCell>().ToList();
        Assert.Equal(5, cells.Count);
        Assert.False(net.Recompute);
        Assert.All(cells, c => Assert.False(c.Recompute));
        net.Recompute = true;
        Assert.True(net.Recompute);
        Assert.All(cells, c => Assert.True(c.Recompute));
    }

    [Fact]
    public void Recomputed_cells_give_the_same_loss_gradients_and_running_statistics_with_drop_path()
    {
        var plain = new Run(recompute: false);
        var recomputed = new Run(recompute: true);
        // Drop-path masks are drawn once, outside the checkpoints, so they match too.
        RecomputeComparison.AssertSameTraining(plain, recomputed);
    }

    [Fact]
    public void Training_forward_keeps_far_fewer_tensors_until_backward()
    {
        var gen = new Generator(4);
        var plain = new DartsNetwork(PublishedGenotypes.DartsV2, Small, new Generator(2));
        var recomputed = new DartsNetwork(PublishedGenotypes.DartsV2, Small, new Generator(2)) { Recompute = true };
        var x = Tensor.Randn(gen, 2, 1, 28, 28).DetachFromScope();
        int Kept(DartsNetwork net)
        {
            using var scope = TensorScope.Enter();
            int before = scope.OwnedCount;
            net.Forward(x);
            return scope.OwnedCount - before;
        }
        int plainKept = Kept(plain), recomputedKept = Kept(recomputed);
        // A separable convolution alone keeps eight intermediates; with recomputation each op keeps its output.
        Assert.True(recomputedKept * 2 < plainKept, $"{recomputedKept} vs {plainKept} tensors kept");
    }

    [Fact]
    public void Evaluation_keeps_only_cell_outputs_and_gives_the_same_logits()
    {
        var gen = new Generator(4);
        var net = new DartsNetwork(PublishedGenotypes.DartsV2, Small, new Generator(2));
        net.Eval();
        var x = Tensor.Randn(gen, 2, 1, 28, 28).DetachFromScope();
        using var scope = TensorScope.Enter();
        int before = scope.OwnedCount;
        Tensor logits;
        using (Tensor.NoGrad())
        {
            logits = net.Forward(x);
        }
        int kept = scope.OwnedCount - before;
        // Stem (conv, BN), one output per cell, pooling, flatten, classifier: every intermediate inside a cell went
        // back to the pool when the cell returned.
        Assert.InRange(kept, Small.Layers, Small.Layers + 8);
        // The same logits as a forward that keeps everything (with the tape on nothing is scoped per cell).
        var reference = net.Forward(x);
        Assert.Equal(reference.ToArray(), logits.ToArray());
    }

    /// <summary>One evaluation network (auxiliary head, drop-path 0.3) with SGD and a fixed batch of 4.</summary>
    private sealed class Run : ITrainingRun
    {
        private readonly DartsNetwork _net;
        private readonly Sgd _optimizer;
        private readonly Tensor _x;
        private readonly int[] _labels = [0, 2, 1, 2];

        public Run(bool recompute)
        {
            var gen = new Generator(11);
            _net = new DartsNetwork(PublishedGenotypes.DartsV2, Small, gen)
            {
                Recompute = recompute,
                DropPathProbability = 0.3f,
            };
            _optimizer = new Sgd(_net.Parameters(), 0.1, momentum: 0.9);
            _x = Tensor.Randn(gen, 4, 1, 28, 28).DetachFromScope();
        }

        public float Step(int step)
        {
            using var scope = TensorScope.Enter();
            _net.ZeroGrad();
            _net.ReseedDropPath((ulong)(100 + step));
            var logits = _net.Forward(_x);
            var loss = Functional.CrossEntropy(logits, _labels)
                + (Functional.CrossEntropy(_net.AuxiliaryLogits!, _labels) * 0.4f);
            loss.Backward();
            return loss.Item();
        }

        public void Update() => _optimizer.Step();

        public Dictionary<string, float[]> Gradients() =>
            _net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());

        public Dictionary<string, float[]> Buffers() =>
            _net.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.ToArray());
    }
}

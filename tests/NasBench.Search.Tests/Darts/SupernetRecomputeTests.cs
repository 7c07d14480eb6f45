using NasBench.Search.Darts.Supernet;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Tests.Darts;

public class SupernetRecomputeTests
{
    // Three cells put the reductions at cells 1 and 2, so normal, reduction and reduction-after-reduction
    // (FactorizedReduce preprocessing) edges are all checkpointed. Its maps (8×8 and less) would all take the
    // batch-minor layout, which has tests of its own below: here every edge stays NCHW.
    private static readonly SupernetConfig Small =
        new(InitChannels: 4, Layers: 3, Classes: 3, InputHeight: 8, InputWidth: 8, StemMultiplier: 1)
        {
            BatchMinorMaxPlane = 0,
        };

    [Fact]
    public void Recomputation_is_on_by_default()
    {
        Assert.True(new SupernetConfig().RecomputeEdges);
        var net = new DartsSupernet(Small, new Generator(1));
        var edges = net.NamedModules().Select(m => m.Module).OfType<MixedOp>().ToList();
        Assert.Equal(3 * 14, edges.Count);
        Assert.All(edges, e => Assert.True(e.Recompute));
        var plain = new DartsSupernet(Small with { RecomputeEdges = false }, new Generator(1));
        Assert.All(plain.NamedModules().Select(m => m.Module).OfType<MixedOp>(), e => Assert.False(e.Recompute));
    }

    [Fact]
    public void Recomputed_edges_give_the_same_loss_gradients_and_running_statistics()
    {
        var plain = new Run(Small with { RecomputeEdges = false });
        var recomputed = new Run(Small);
        RecomputeComparison.AssertSameTraining(plain, recomputed);
    }

    [Fact]
    public void Kept_cells_keep_their_edges_and_give_the_same_loss_and_gradients()
    {
        var config = Small with { KeptCells = 1 };
        var net = new DartsSupernet(config, new Generator(1));
        foreach (var (name, module) in net.NamedModules())
        {
            if (module is MixedOp edge)
            {
                Assert.Equal(!name.StartsWith("cells.2.", StringComparison.Ordinal), edge.Recompute);
            }
        }
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(config.RecomputesCell));
        Assert.Equal([false, false, false],
            Enumerable.Range(0, 3).Select((Small with { RecomputeEdges = false, KeptCells = 1 }).RecomputesCell));

        var plain = new Run(Small with { RecomputeEdges = false });
        var selective = new Run(config);
        float plainLoss = plain.Step(0);
        Assert.Equal(plainLoss, selective.Step(0));
        var selectiveGradients = selective.Gradients();
        foreach (var (name, expected) in plain.Gradients())
        {
            NormAssert.Close(expected, selectiveGradients[name], 1e-5, $"gradient of {name}");
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Kept_cells_outside_the_layers_are_rejected(int kept)
    {
        var e = Assert.Throws<ArgumentException>(() => (Small with { KeptCells = kept }).Validate());
        Assert.Contains("KeptCells", e.Message, StringComparison.Ordinal);
        Assert.Contains(kept.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Folded_norms_give_the_same_loss_gradients_and_running_statistics(bool recompute)
    {
        var unfused = new Run(Small with { RecomputeEdges = recompute }, fuseNorms: false);
        var fused = new Run(Small with { RecomputeEdges = recompute });
        Assert.All(fused.Edges(), e => Assert.True(e.FuseNorms));
        for (int step = 0; step < 2; step++)
        {
            float unfusedLoss = unfused.Step(step);
            float fusedLoss = fused.Step(step);
            // Folding changes the rounding (one centred fused multiply-add per candidate instead of a normalised
            // tensor and a second product), never the function.
            Assert.Equal(unfusedLoss, fusedLoss, 1e-5 * Math.Abs(unfusedLoss));
            var fusedGradients = fused.Gradients();
            foreach (var (name, expected) in unfused.Gradients())
            {
                NormAssert.Close(expected, fusedGradients[name], 1e-4, $"step {step}, gradient of {name}");
            }
            var fusedBuffers = fused.Buffers();
            foreach (var (name, expected) in unfused.Buffers())
            {
                NormAssert.Close(expected, fusedBuffers[name], 1e-5, $"step {step}, buffer {name}", absolute: 1e-7);
            }
            unfused.Update();
            fused.Update();
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Shared_depthwise_heads_give_bit_identical_steps(bool recompute, bool fuseNorms)
    {
        var separate = new Run(Small with { RecomputeEdges = recompute }, fuseNorms, shareHeads: false);
        var shared = new Run(Small with { RecomputeEdges = recompute }, fuseNorms);
        Assert.All(shared.Edges(), e => Assert.True(e.ShareDepthwiseHeads));
        for (int step = 0; step < 2; step++)
        {
            // One padded copy for the four heads changes no arithmetic: every value is the same chain of operations.
            Assert.Equal(separate.Step(step), shared.Step(step));
            var sharedGradients = shared.Gradients();
            foreach (var (name, expected) in separate.Gradients())
            {
                Assert.True(expected.AsSpan().SequenceEqual(sharedGradients[name]),
                    $"step {step}: gradient of {name} differs");
            }
            separate.Update();
            shared.Update();
        }
    }

    /// <param name="maxPlane">64: every edge batch-minor (8×8, 4×4 and 2×2 output maps); 16: the first cell's
    /// edges NCHW, the reduction cells' (stride-2 edges included) batch-minor, so both layouts meet in one network.
    /// </param>
    [Theory]
    [InlineData(true, 64)]
    [InlineData(false, 64)]
    [InlineData(true, 16)]
    public void Batch_minor_edges_give_the_same_loss_gradients_and_running_statistics(bool recompute, int maxPlane)
    {
        var nchw = new Run(Small with { RecomputeEdges = recompute });
        var batchMinor = new Run(Small with { RecomputeEdges = recompute, BatchMinorMaxPlane = maxPlane });
        // Each cell has 14 edges; a cell's output map decides (the reduction cells' stride-2 edges included).
        static int Plane(string edge) => edge.StartsWith("cells.0.", StringComparison.Ordinal) ? 64
            : edge.StartsWith("cells.1.", StringComparison.Ordinal) ? 16 : 4;
        Assert.Equal(maxPlane >= 64 ? 42 : 28, batchMinor.NamedEdges().Count(e => e.Edge.RunsBatchMinor(Plane(e.Name))));
        Assert.DoesNotContain(nchw.NamedEdges(), e => e.Edge.RunsBatchMinor(Plane(e.Name)));
        for (int step = 0; step < 2; step++)
        {
            float expectedLoss = nchw.Step(step);
            float loss = batchMinor.Step(step);
            // The layouts sum in other orders (the norms over one plane per channel instead of N planes, the
            // convolutions' taps per image), never another function.
            Assert.Equal(expectedLoss, loss, 1e-5 * Math.Abs(expectedLoss));
            var gradients = batchMinor.Gradients();
            foreach (var (name, expected) in nchw.Gradients())
            {
                NormAssert.Close(expected, gradients[name], 1e-4, $"step {step}, gradient of {name}");
            }
            var buffers = batchMinor.Buffers();
            foreach (var (name, expected) in nchw.Buffers())
            {
                NormAssert.Close(expected, buffers[name], 1e-5, $"step {step}, buffer {name}", absolute: 1e-7);
            }
            nchw.Update();
            batchMinor.Update();
        }
    }

    [Fact]
    public void Recomputed_edges_keep_only_their_outputs_and_no_grad_forwards_release_intermediates()
    {
        var gen = new Generator(4);
        var plain = new DartsSupernet(Small with { RecomputeEdges = false }, new Generator(2));
        var recomputed = new DartsSupernet(Small, new Generator(2));
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(gen, 4, 1, 8, 8);
        int before = scope.OwnedCount;
        // With the tape: the plain network keeps every candidate's intermediates for backward, the recomputed one
        // about one tensor per edge.
        var a = plain.Forward(x);
        int plainTaped = scope.OwnedCount - before;
        before = scope.OwnedCount;
        var b = recomputed.Forward(x);
        int recomputedTaped = scope.OwnedCount - before;
        Assert.True(recomputedTaped * 3 < plainTaped, $"{recomputedTaped} vs {plainTaped} tensors kept with the tape");
        // Without the tape nothing needs the intermediates: the operations give them back as soon as they are read
        // (Tensor.Consumed), so the plain network keeps far fewer than with the tape.
        Tensor c;
        using (Tensor.NoGrad())
        {
            before = scope.OwnedCount;
            c = plain.Forward(x);
            int plainUntaped = scope.OwnedCount - before;
            Assert.True(plainUntaped * 2 < plainTaped, $"{plainUntaped} vs {plainTaped} tensors kept without the tape");
        }
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(a.ToArray(), c.ToArray());
    }

    /// <summary>One supernet with its SGD optimiser and a fixed batch of 4.</summary>
    private sealed class Run : ITrainingRun
    {
        private readonly DartsSupernet _net;
        private readonly Sgd _optimizer;
        private readonly Tensor _x;
        private readonly int[] _labels = [0, 2, 1, 2];

        public Run(SupernetConfig config, bool fuseNorms = true, bool shareHeads = true)
        {
            var gen = new Generator(11);
            _net = new DartsSupernet(config, gen);
            foreach (var edge in Edges())
            {
                edge.FuseNorms = fuseNorms;
                edge.ShareDepthwiseHeads = shareHeads;
            }
            _optimizer = new Sgd(_net.WeightParameters().Concat(_net.ArchitectureParameters()), 0.1, momentum: 0.9);
            _x = Tensor.Randn(gen, 4, 1, 8, 8).DetachFromScope();
        }

        public float Step(int step)
        {
            using var scope = TensorScope.Enter();
            _net.ZeroGrad();
            foreach (var a in _net.ArchitectureParameters())
            {
                a.ZeroGrad();
            }
            var loss = Functional.CrossEntropy(_net.Forward(_x), _labels);
            loss.Backward();
            return loss.Item();
        }

        public void Update() => _optimizer.Step();

        public IEnumerable<MixedOp> Edges() => _net.NamedModules().Select(m => m.Module).OfType<MixedOp>();

        public IEnumerable<(string Name, MixedOp Edge)> NamedEdges() =>
            _net.NamedModules().Where(m => m.Module is MixedOp).Select(m => (m.Name, (MixedOp)m.Module));

        public Dictionary<string, float[]> Gradients()
        {
            var grads = _net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());
            grads["alpha_normal"] = _net.AlphaNormal.Grad!.ToArray();
            grads["alpha_reduce"] = _net.AlphaReduce.Grad!.ToArray();
            return grads;
        }

        public Dictionary<string, float[]> Buffers() =>
            _net.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.ToArray());
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Profiling;

namespace NasBench.Tensors.Tests;

public class CheckpointTests
{
    /// <summary>conv → train-mode BN (with running statistics) → ReLU → conv, scaled by a per-channel input: the
    /// shape of a DARTS candidate, with parameters that are not among the checkpoint's inputs.</summary>
    private sealed class Block
    {
        public Block(ulong seed)
        {
            var g = new Generator(seed);
            Conv1 = new Conv2d(3, 4, 3, g, padding: 1, bias: false);
            Norm = new BatchNorm2d(4);
            Conv2 = new Conv2d(4, 3, 1, g);
        }

        public Conv2d Conv1 { get; }

        public BatchNorm2d Norm { get; }

        public Conv2d Conv2 { get; }

        public IEnumerable<Parameter> Parameters() =>
            [Conv1.Weight, Norm.Weight!, Norm.Bias!, Conv2.Weight, Conv2.Bias!];

        /// <summary>inputs: x [N, 3, H, W], scale [3].</summary>
        public Tensor Forward(Tensor[] inputs) =>
            Conv2.Forward(Norm.Forward(Conv1.Forward(inputs[0])).Relu()) * inputs[1];
    }

    private static (Tensor X, Tensor Scale) Inputs(ulong seed)
    {
        var g = new Generator(seed);
        return (Tensor.Randn(g, 2, 3, 5, 5).RequireGrad(), Tensor.Randn(g, 3).RequireGrad());
    }

    /// <summary>Loss, output and every gradient of one forward/backward of <paramref name="block"/>, with or without
    /// the checkpoint; the loss reads the output non-linearly so the output gradient is not constant.</summary>
    private static (float[] Output, float[][] Grads) Step(Block block, bool checkpoint, ulong seed)
    {
        using var scope = TensorScope.Enter();
        var (x, scale) = Inputs(seed);
        var y = checkpoint ? ActivationCheckpoint.Run(block.Forward, x, scale) : block.Forward([x, scale]);
        var output = y.ToArray();
        (y * y).Sum().Backward();
        var grads = new List<float[]> { x.Grad!.ToArray(), scale.Grad!.ToArray() };
        grads.AddRange(block.Parameters().Select(p => p.Grad!.ToArray()));
        return (output, [.. grads]);
    }

    [Fact]
    public void Checkpointed_function_gives_the_same_output_gradients_and_running_statistics()
    {
        var plain = new Block(7);
        var checkpointed = new Block(7);
        for (int step = 0; step < 2; step++)
        {
            var a = Step(plain, checkpoint: false, seed: (ulong)(10 + step));
            var b = Step(checkpointed, checkpoint: true, seed: (ulong)(10 + step));
            // Same ops in the same order on the same values: bit-identical, including the accumulation of a second
            // step's parameter gradients into the first's.
            Assert.Equal(a.Output, b.Output);
            for (int k = 0; k < a.Grads.Length; k++)
            {
                Assert.Equal(a.Grads[k], b.Grads[k]);
            }
            // The running statistics moved once per step, not twice (the recomputation must leave them alone).
            Assert.Equal(plain.Norm.RunningMean!.ToArray(), checkpointed.Norm.RunningMean!.ToArray());
            Assert.Equal(plain.Norm.RunningVar!.ToArray(), checkpointed.Norm.RunningVar!.ToArray());
        }
        Assert.NotEqual(0f, checkpointed.Norm.RunningMean!.ToArray().Select(Math.Abs).Max());
    }

    [Fact]
    public void Checkpointed_function_matches_finite_differences()
    {
        var block = new Block(3);
        var (x, scale) = Inputs(5);
        // Squared instead of ReLU: the probe's ±step would cross ReLU kinks. The perturbed forwards run under no-grad
        // and move the running statistics, which train-mode BN does not read.
        Tensor Smooth(Tensor[] t)
        {
            var h = block.Norm.Forward(block.Conv1.Forward(t[0]));
            return block.Conv2.Forward(h * h) * t[1];
        }

        GradCheck.Check(t => ActivationCheckpoint.Run(Smooth, t), [x, scale]);
    }

    [Fact]
    public void Only_the_output_stays_in_the_callers_scope()
    {
        var block = new Block(1);
        using var scope = TensorScope.Enter();
        var (x, scale) = Inputs(2);
        int before = scope.OwnedCount;
        var y = ActivationCheckpoint.Run(block.Forward, x, scale);
        Assert.Equal(before + 1, scope.OwnedCount);
        Assert.Equal("Checkpoint", y.GradFnName);

        int plainBefore = scope.OwnedCount;
        block.Forward([x, scale]);
        Assert.True(scope.OwnedCount - plainBefore >= 5, "the plain forward should keep its intermediates");
    }

    [Fact]
    public void Nested_checkpoints_and_shared_inputs_accumulate_like_the_plain_graph()
    {
        static Tensor Inner(Tensor[] t) => (t[0] * t[1]).Relu() + t[0];
        static Tensor Outer(Tensor[] t) => ActivationCheckpoint.Run(Inner, t[0], t[1]) * t[0];

        float[][] Run(bool checkpoint)
        {
            using var scope = TensorScope.Enter();
            var g = new Generator(9);
            var a = GradCheck.AwayFromZero(g, 0.05f, 4, 6).RequireGrad();
            var b = GradCheck.AwayFromZero(g, 0.05f, 4, 6).RequireGrad();
            // a reaches the loss through two checkpoints (one nested in the other) and directly; b through both.
            var y1 = checkpoint ? ActivationCheckpoint.Run(Outer, a, b) : Inner([a, b]) * a;
            var y2 = checkpoint ? ActivationCheckpoint.Run(Inner, b, a) : Inner([b, a]);
            ((y1 * y2) + a).Sum().Backward();
            return [a.Grad!.ToArray(), b.Grad!.ToArray()];
        }

        var plain = Run(checkpoint: false);
        var checkpointed = Run(checkpoint: true);
        for (int k = 0; k < plain.Length; k++)
        {
            // Summation order differs where the checkpoint hands a gradient back to a shared input.
            AssertClose(plain[k], checkpointed[k], 1e-6);
        }
    }

    /// <summary>x [4, 3, 5, 5] around 0 and a loss weight c of the same shape (so dy = c is not constant); the
    /// per-channel mean and 1/σ of x in double (biased variance, ε = 1e-5).</summary>
    private static (Tensor X, float[] C, double[] Mean, double[] InvStd) NormInputs(ulong seed)
    {
        const int N = 4, Ch = 3, P = 25;
        var g = new Generator(seed);
        var x = Tensor.Randn(g, N, Ch, 5, 5).RequireGrad();
        var c = Tensor.Randn(g, N, Ch, 5, 5).ToArray();
        var xs = x.ToArray();
        var (mean, invStd) = (new double[Ch], new double[Ch]);
        for (int ch = 0; ch < Ch; ch++)
        {
            var v = Enumerable.Range(0, N).SelectMany(n => xs.Skip(((n * Ch) + ch) * P).Take(P)).ToArray();
            mean[ch] = v.Average(f => (double)f);
            double variance = v.Average(f => (f - mean[ch]) * (f - mean[ch]));
            invStd[ch] = 1 / Math.Sqrt(variance + 1e-5);
        }
        return (x, c, mean, invStd);
    }

    [Fact]
    public void Recomputation_normalises_with_the_first_forwards_batch_statistics()
    {
        // The input is shifted by 3 between forward and backward (which a caller must never do): fresh statistics
        // would follow the shift and give the unshifted gradient back; the recorded ones give the gradient of the
        // first forward's normalisation applied to the shifted data, x̂ = (x + 3 − μ)·invStd.
        using var scope = TensorScope.Enter();
        var (x, c, mean, invStd) = NormInputs(31);
        var weights = Tensor.FromArray(c, x.Shape.ToArray());
        var y = ActivationCheckpoint.Run(t => Functional.BatchNorm(t[0], null, null, training: true), x);
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] += 3f;
        }
        (y * weights).Sum().Backward();
        var shifted = x.ToArray();
        var dx = x.Grad!.ToArray();
        const int N = 4, Ch = 3, P = 25;
        for (int ch = 0; ch < Ch; ch++)
        {
            var at = Enumerable.Range(0, N).SelectMany(n => Enumerable.Range(((n * Ch) + ch) * P, P)).ToArray();
            double meanDy = at.Average(i => (double)c[i]);
            double meanDyXhat = at.Average(i => c[i] * (shifted[i] - mean[ch]) * invStd[ch]);
            foreach (int i in at)
            {
                double xhat = (shifted[i] - mean[ch]) * invStd[ch];
                double expected = invStd[ch] * (c[i] - meanDy - (xhat * meanDyXhat));
                Assert.Equal(expected, dx[i], 1e-3);
            }
        }
    }

    [Fact]
    public void Recomputed_folded_norms_take_the_first_forwards_statistics()
    {
        // As above for the norms folded into a weighted sum: after shifting the input by 3, the weight's gradient
        // Σ dy·(x − μ)·invStd grows by 3·Σ_ch invStd_ch·Σ dy_ch with the recorded μ, and stays put with fresh ones.
        using var scope = TensorScope.Enter();
        var (x, c, mean, invStd) = NormInputs(32);
        var dyWeights = Tensor.FromArray(c, x.Shape.ToArray());
        var norm = new BatchNorm2d(3, affine: false);
        var alpha = Tensor.FromArray([0.7f], 1).RequireGrad();
        var y = ActivationCheckpoint.Run(t => Functional.NormalizedWeightedSum([t[0]], t[1], [norm]), x, alpha);
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] += 3f;
        }
        (y * dyWeights).Sum().Backward();
        var shifted = x.ToArray();
        double expected = 0;
        for (int i = 0; i < shifted.Length; i++)
        {
            int ch = i / 25 % 3;
            expected += c[i] * (shifted[i] - mean[ch]) * invStd[ch];
        }
        Assert.Equal(expected, alpha.Grad!.ToArray()[0], 1e-2);
        double shiftTerm = Enumerable.Range(0, shifted.Length).Sum(i => 3 * invStd[i / 25 % 3] * c[i]);
        Assert.True(Math.Abs(shiftTerm) > 1, $"the shift must be visible in the test's data ({shiftTerm:G3})");
    }

    [Fact]
    public void A_gradient_only_recomputation_gives_the_same_gradients_bit_for_bit()
    {
        // The function is told which run it is (first forward, then the recomputation); the folded sum skips its
        // values in the second, and every gradient must still equal the plain graph's.
        using var scope = TensorScope.Enter();
        var g = new Generator(21);
        var xs = new[] { Tensor.Randn(g, 2, 3, 4, 4) * 2f, Tensor.Randn(g, 2, 3, 4, 4) + 1f };
        var addend = Tensor.Randn(g, 2, 3, 4, 4);
        var w = Tensor.Rand(g, 2) + 0.1f;
        var dy = Tensor.Randn(g, 2, 3, 4, 4);
        var runs = new List<bool>();
        var plain = Gradients(t => Functional.NormalizedWeightedSum([t[0].Relu(), t[1]], t[2],
            [new BatchNorm2d(3, affine: false), null], t[3]));
        var checkpointed = Gradients(t => ActivationCheckpoint.Run((u, recomputing) =>
        {
            runs.Add(recomputing);
            return Functional.NormalizedWeightedSum([u[0].Relu(), u[1]], u[2],
                [new BatchNorm2d(3, affine: false), null], u[3], gradientOnly: recomputing);
        }, t));
        Assert.Equal([false, true], runs);
        Assert.Equal(plain.Y, checkpointed.Y);
        for (int i = 0; i < plain.Grads.Length; i++)
        {
            Assert.Equal(plain.Grads[i], checkpointed.Grads[i]);
        }

        (float[] Y, float[][] Grads) Gradients(Func<Tensor[], Tensor> f)
        {
            Tensor[] inputs = [.. xs.Select(x => x.Detach().RequireGrad()), w.Detach().RequireGrad(),
                addend.Detach().RequireGrad()];
            var y = f(inputs);
            y.Backward(dy);
            return (y.ToArray(), inputs.Select(x => x.Grad!.ToArray()).ToArray());
        }
    }

    [Fact]
    public void A_recomputation_that_runs_other_batch_norms_is_an_error()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(new Generator(5), 2, 3, 4, 4).RequireGrad();
        foreach (var (first, second) in new[] { (1, 2), (2, 1) })
        {
            int calls = 0;
            Tensor Function(Tensor[] t)
            {
                var h = t[0];
                for (int i = 0, n = calls++ == 0 ? first : second; i < n; i++)
                {
                    h = Functional.BatchNorm(h, null, null, training: true);
                }
                return h;
            }
            var y = ActivationCheckpoint.Run(Function, x);
            var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
            Assert.Contains("must be deterministic", e.Message, StringComparison.Ordinal);
            Assert.Contains("batch norm", e.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Identity_function_gets_a_node_of_its_own()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.FromArray([1f, -2f, 3f], 3).RequireGrad();
        var y = ActivationCheckpoint.Run(t => t[0], x);
        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        (y * y).Sum().Backward();
        Assert.Equal(new[] { 2f, -4f, 6f }, x.Grad!.ToArray());
    }

    [Fact]
    public void Retained_output_gradient_survives_the_recomputation()
    {
        // The recomputed graph reads the output gradient in place: it must not free it under the outer graph.
        using var scope = TensorScope.Enter();
        var x = Tensor.FromArray([0.5f, -1f, 2f], 3).RequireGrad();
        var y = ActivationCheckpoint.Run(t => t[0] * t[0], x).RetainGrad();
        (y * y).Sum().Backward();
        Assert.Equal(new[] { 0.5f, 2f, 8f }, y.Grad!.ToArray());
        Assert.Equal(new[] { 0.5f, -4f, 32f }, x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_called_under_no_grad_still_recomputes_with_the_tape()
    {
        var block = new Block(4);
        var expected = Step(new Block(4), checkpoint: false, seed: 3).Grads;
        using var scope = TensorScope.Enter();
        var (x, scale) = Inputs(3);
        var y = ActivationCheckpoint.Run(block.Forward, x, scale);
        var loss = (y * y).Sum();
        using (Tensor.NoGrad())
        {
            loss.Backward();
        }
        Assert.Equal(expected[0], x.Grad!.ToArray());
        Assert.Equal(expected[2], block.Conv1.Weight.Grad!.ToArray());
    }

    [Fact]
    public void Parameters_get_gradients_when_no_input_requires_grad()
    {
        var block = new Block(6);
        using var scope = TensorScope.Enter();
        var (x, scale) = Inputs(1);
        x.RequiresGrad = false;
        scale.RequiresGrad = false;
        ActivationCheckpoint.Run(block.Forward, x, scale).Sum().Backward();
        Assert.All(block.Parameters(), p => Assert.NotNull(p.Grad));
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Mac_counter_does_not_count_the_recomputation()
    {
        var block = new Block(8);
        using var scope = TensorScope.Enter();
        var (x, scale) = Inputs(8);
        long forwardOnly;
        using (var counter = MacCounter.Start())
        {
            block.Forward([x, scale]);
            forwardOnly = counter.Total;
        }
        using (var counter = MacCounter.Start())
        {
            ActivationCheckpoint.Run(block.Forward, x, scale).Sum().Backward();
            Assert.Equal(forwardOnly, counter.Total);
        }
        Assert.True(forwardOnly > 0);
    }

    [Fact]
    public void Bad_arguments_name_what_is_wrong()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.Ones(2);
        Assert.Throws<ArgumentNullException>(() => ActivationCheckpoint.Run((Func<Tensor[], Tensor>)null!, x));
        Assert.Throws<ArgumentNullException>(() =>
            ActivationCheckpoint.Run((Func<Tensor[], bool, Tensor>)null!, x));
        var e = Assert.Throws<ArgumentNullException>(() => ActivationCheckpoint.Run(t => t[0], x, null!));
        Assert.Contains("input 1 of 2", e.Message, StringComparison.Ordinal);
        var n = Assert.Throws<InvalidOperationException>(() => ActivationCheckpoint.Run(_ => null!, x));
        Assert.Contains("returned null", n.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += (double)(expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += (double)expected[i] * expected[i];
        }
        Assert.True(Math.Sqrt(diff) <= relative * Math.Sqrt(norm),
            $"relative difference {Math.Sqrt(diff / norm):G3} exceeds {relative:G3}");
    }
}

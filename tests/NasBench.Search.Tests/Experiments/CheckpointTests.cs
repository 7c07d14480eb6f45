using NasBench.Search.Experiments;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Search.Tests.Experiments;

public class CheckpointTests
{
    private static (Sequential Model, Sgd Optimizer) TrainedModel(ulong seed)
    {
        var g = new Generator(seed);
        var model = new Sequential(new Conv2d(1, 3, 3, g), new BatchNorm2d(3), new Flatten(), new Linear(12, 2, g));
        var optimizer = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn(g, 4, 1, 4, 4);
        Functional.CrossEntropy(model.Forward(x), [0, 1, 1, 0]).Backward();
        optimizer.Step();
        return (model, optimizer);
    }

    [Fact]
    public void Round_trip_restores_model_optimizer_and_state_exactly()
    {
        using var scratch = new ScratchDirectory();
        string path = scratch.File("c.ckpt");
        var (model, optimizer) = TrainedModel(1);
        optimizer.LearningRate = 0.0123456789;
        var values = new Dictionary<string, string> { ["sum"] = "1.25" };
        Checkpoint.Save(path, model, optimizer, new CheckpointState(2, 5, values), "fp");

        var (fresh, freshOptimizer) = TrainedModel(2);
        var state = Checkpoint.Load(path, fresh, freshOptimizer, "fp");

        Assert.Equal(2, state.Epoch);
        Assert.Equal(5, state.Step);
        Assert.Equal("1.25", state.Values["sum"]);
        Assert.Equal(optimizer.LearningRate, freshOptimizer.LearningRate);
        foreach (var ((name, a), (_, b)) in model.StateDict().OrderBy(k => k.Key).Zip(fresh.StateDict().OrderBy(k => k.Key)))
        {
            Assert.True(a.AsReadOnlySpan().SequenceEqual(b.AsReadOnlySpan()), name);
        }
        foreach (var (p, q) in optimizer.Parameters.Zip(freshOptimizer.Parameters))
        {
            var expected = optimizer.State(p).Buffers["momentum_buffer"].ToArray();
            Assert.Equal(expected, freshOptimizer.State(q).Buffers["momentum_buffer"].ToArray());
            Assert.Equal(optimizer.State(p).Step, freshOptimizer.State(q).Step);
        }
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Truncated_checkpoint_is_a_clear_error_and_leaves_the_model_untouched()
    {
        using var scratch = new ScratchDirectory();
        string path = scratch.File("c.ckpt");
        var (model, optimizer) = TrainedModel(1);
        Checkpoint.Save(path, model, optimizer, new CheckpointState(1, 0, new Dictionary<string, string>()), "fp");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        var (fresh, freshOptimizer) = TrainedModel(2);
        float[] before = fresh.Parameters().First().ToArray();
        var e = Assert.Throws<RunDirectoryException>(() => Checkpoint.Load(path, fresh, freshOptimizer, "fp"));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, fresh.Parameters().First().ToArray());
    }

    [Fact]
    public void Foreign_files_other_runs_and_other_architectures_are_refused()
    {
        using var scratch = new ScratchDirectory();
        var (model, optimizer) = TrainedModel(1);

        string plain = scratch.File("model.state");
        model.Save(plain); // a module state file, not a checkpoint
        var e = Assert.Throws<RunDirectoryException>(() => Checkpoint.Load(plain, model, optimizer, "fp"));
        Assert.Contains("not a NasBench checkpoint", e.Message, StringComparison.Ordinal);

        string path = scratch.File("c.ckpt");
        Checkpoint.Save(path, model, optimizer, new CheckpointState(1, 0, new Dictionary<string, string>()), "fp-a");
        e = Assert.Throws<RunDirectoryException>(() => Checkpoint.Load(path, model, optimizer, "fp-b"));
        Assert.Contains("expected fp-b, found fp-a", e.Message, StringComparison.Ordinal);

        var g = new Generator(3);
        var other = new Sequential(new Conv2d(1, 4, 3, g), new BatchNorm2d(4), new Flatten(), new Linear(16, 2, g));
        e = Assert.Throws<RunDirectoryException>(() => Checkpoint.Load(path, other, null, "fp-a"));
        Assert.Contains("entry 'model.0.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 1, 3, 3]", e.Message, StringComparison.Ordinal);

        string garbage = scratch.File("garbage.ckpt");
        File.WriteAllText(garbage, "this is not a checkpoint at all");
        e = Assert.Throws<RunDirectoryException>(() => Checkpoint.Load(garbage, model, optimizer, "fp-a"));
        Assert.Contains(garbage, e.Message, StringComparison.Ordinal);
    }
}

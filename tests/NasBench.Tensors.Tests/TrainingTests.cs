using NasBench.Kernels.Cpu;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;
using NasBench.Tensors.Serialization;
using Xunit.Abstractions;

namespace NasBench.Tensors.Tests;

[Collection(SerialTestCollection.Name)]
public class TrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Steady_state_training_step_allocates_under_one_megabyte()
    {
        var model = SyntheticTask.Model(1);
        var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9, weightDecay: 1e-4);
        var (x, labels) = SyntheticTask.Batch(new Generator(2), 16);
        for (int i = 0; i < 5; i++)
        {
            SyntheticTask.Step(model, optimizer, x, labels);
        }
        long createdBefore = Memory.BufferPool.CreatedCount;
        long before = GC.GetTotalAllocatedBytes(true);
        const int steps = 5;
        for (int i = 0; i < steps; i++)
        {
            SyntheticTask.Step(model, optimizer, x, labels);
        }
        long perStep = (GC.GetTotalAllocatedBytes(true) - before) / steps;
        output.WriteLine($"managed bytes per steady-state step: {perStep}");
        Assert.True(perStep < 1_000_000, $"a steady-state step allocated {perStep} bytes");
        Assert.Equal(createdBefore, Memory.BufferPool.CreatedCount);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_weights_at_one_and_two_threads()
    {
        float[] Train(int threads)
        {
            using var limit = CpuParallel.Limit(threads);
            var model = SyntheticTask.Model(7);
            var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true);
            var data = new Generator(8);
            for (int i = 0; i < 6; i++)
            {
                var (x, labels) = SyntheticTask.Batch(data, 8);
                SyntheticTask.Step(model, optimizer, x, labels);
            }
            return model.Parameters().SelectMany(p => p.ToArray())
                .Concat(model.Buffers().SelectMany(b => b.ToArray())).ToArray();
        }

        var one = Train(1);
        var two = Train(2);
        var again = Train(1);
        Assert.Equal(one, two);
        Assert.Equal(one, again);
        Assert.NotEqual(one, SyntheticTask.Model(7).Parameters().SelectMany(p => p.ToArray())
            .Concat(SyntheticTask.Model(7).Buffers().SelectMany(b => b.ToArray())).ToArray());
    }

    [Fact]
    public void Small_cnn_learns_the_quadrant_task_and_reloads_to_the_same_predictions()
    {
        var model = SyntheticTask.Model(3);
        var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9);
        var schedule = new CosineAnnealingLr(optimizer, tMax: 80);
        var data = new Generator(4);
        var (testX, testY) = SyntheticTask.Batch(new Generator(5), 200);
        model.Eval();
        double chanceAccuracy = SyntheticTask.Accuracy(model, testX, testY);
        model.Train();
        var losses = new List<float>();
        for (int i = 0; i < 80; i++)
        {
            var (x, labels) = SyntheticTask.Batch(data, 32);
            losses.Add(SyntheticTask.Step(model, optimizer, x, labels));
            x.Dispose();
            schedule.Step();
        }
        double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
        model.Eval();
        double accuracy = SyntheticTask.Accuracy(model, testX, testY);
        output.WriteLine($"loss {first:F3} -> {last:F3}; accuracy {chanceAccuracy:P0} -> {accuracy:P0}");
        Assert.True(last < first * 0.5, $"loss did not fall enough: {first:F3} -> {last:F3}");
        Assert.True(accuracy >= 0.85, $"accuracy {accuracy:P1} is not well above chance (25 %)");

        string path = Path.Combine(Path.GetTempPath(), $"nasbench-e2e-{Environment.ProcessId}.state");
        try
        {
            model.Save(path, new Dictionary<string, string> { ["task"] = "quadrant" });
            var reloaded = SyntheticTask.Model(999);
            reloaded.Load(path);
            reloaded.Eval();
            using var noGrad = Tensor.NoGrad();
            Assert.Equal(model.Forward(testX).ToArray(), reloaded.Forward(testX).ToArray());
            StateFile.Read(path, out var metadata);
            Assert.Equal("quadrant", metadata["task"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

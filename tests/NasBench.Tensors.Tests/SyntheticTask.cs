using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;

namespace NasBench.Tensors.Tests;

/// <summary>A tiny image task generated in the test: which quadrant of an 8×8 noisy image holds a bright 2×2 blob
/// (4 classes, chance 25 %), and the small CNN the tests train on it.</summary>
internal static class SyntheticTask
{
    public const int Size = 8;

    public static (Tensor Images, int[] Labels) Batch(Generator g, int count)
    {
        var labels = new int[count];
        var images = Tensor.Empty(count, 1, Size, Size);
        var data = images.AsSpan();
        g.FillNormal(data, 0f, 0.2f);
        for (int n = 0; n < count; n++)
        {
            int q = g.NextInt(4);
            labels[n] = q;
            int y0 = ((q / 2) * 4) + g.NextInt(3), x0 = ((q % 2) * 4) + g.NextInt(3);
            for (int dy = 0; dy < 2; dy++)
            {
                for (int dx = 0; dx < 2; dx++)
                {
                    data[(n * Size * Size) + ((y0 + dy) * Size) + x0 + dx] += 1f;
                }
            }
        }
        return (images, labels);
    }

    public static Sequential Model(ulong seed)
    {
        var g = new Generator(seed);
        return new Sequential(
            new Conv2d(1, 8, 3, g, padding: 1),
            new BatchNorm2d(8),
            new ReLU(),
            new MaxPool2d(2),
            new Conv2d(8, 8, 3, g, padding: 1, groups: 8),
            new BatchNorm2d(8),
            new ReLU(),
            new Flatten(),
            new Dropout(0.1f, g.Fork()),
            new Linear(8 * 4 * 4, 4, g));
    }

    /// <summary>One training step inside a scope: every intermediate tensor goes back to the pool.</summary>
    public static float Step(Module<Tensor, Tensor> model, Optimizer optimizer, Tensor images, int[] labels)
    {
        using var scope = TensorScope.Enter();
        optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(model.Forward(images), labels);
        loss.Backward();
        optimizer.Step();
        return loss.Item();
    }

    public static double Accuracy(Module<Tensor, Tensor> model, Tensor images, int[] labels)
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        var predicted = model.Forward(images).ArgMaxRows();
        return predicted.Where((p, i) => p == labels[i]).Count() / (double)labels.Length;
    }
}

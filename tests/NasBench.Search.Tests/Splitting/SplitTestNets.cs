using NasBench.Search.Splitting;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Tests.Splitting;

/// <summary>Small networks and random data for the splitting tests.</summary>
public static class SplitTestNets
{
    public static GrowableNetwork Build(int inChannels, int size, int classes, ulong seed, params UnitSpec[] units)
    {
        var net = new GrowableNetwork(new NetworkSpec("test", inChannels, size, size, classes, units),
            new Generator(seed));
        Perturb(net, seed + 1000);
        return net;
    }

    /// <summary>Non-trivial BN parameters and running statistics, so the eval-mode fold c = γ/√(var + eps) is
    /// exercised.</summary>
    public static void Perturb(GrowableNetwork net, ulong seed)
    {
        var g = new Generator(seed);
        foreach (var unit in net.Units)
        {
            var bn = unit switch
            {
                ConvUnit c => c.Norm,
                DepthwiseUnit d => d.Norm,
                _ => null,
            };
            if (bn is null)
            {
                continue;
            }
            for (int j = 0; j < bn.Channels; j++)
            {
                bn.Gamma.AsSpan()[j] = 0.6f + g.NextSingle();
                bn.Beta.AsSpan()[j] = (g.NextSingle() - 0.5f) * 0.6f;
                bn.RunningMean.AsSpan()[j] = (g.NextSingle() - 0.5f) * 0.4f;
                bn.RunningVar.AsSpan()[j] = 0.5f + g.NextSingle();
            }
        }
    }

    public static LabeledBatch RandomBatch(int n, int c, int size, int classes, ulong seed)
    {
        var g = new Generator(seed);
        var images = new float[n * c * size * size];
        g.FillNormal(images);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = g.NextInt(classes);
        }
        return new LabeledBatch(images, labels, (n, c, size, size));
    }

    public static double Loss(GrowableNetwork net, LabeledBatch batch)
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        net.Eval();
        return Functional.CrossEntropy(net.Forward(batch.ToTensor()), batch.Labels).Item();
    }

    public static float[] Logits(GrowableNetwork net, LabeledBatch batch)
    {
        using var scope = TensorScope.Enter();
        using var noGrad = Tensor.NoGrad();
        net.Eval();
        return net.Forward(batch.ToTensor()).ToArray();
    }
}

using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Targets;

/// <summary>A hardware target a model's latency is measured or estimated for.</summary>
public interface ITarget
{
    /// <summary>Name used on the command line (<c>cpu</c>, <c>cpu-1t</c>, or an imported table's target).</summary>
    string Name { get; }

    /// <summary>One-line description for <c>nasbench latency list</c>.</summary>
    string Description { get; }

    /// <summary>The machine, cores, ISA and runtime measurements on this target depend on.</summary>
    TargetFingerprint Fingerprint { get; }

    /// <summary>Whether <see cref="Measure"/> can run here (an imported table's device cannot be measured from this
    /// machine; a GPU target needs its driver).</summary>
    bool IsAvailable { get; }

    /// <summary>Why the target is unavailable, or "available".</summary>
    string Availability { get; }

    /// <summary>Latency of one inference forward pass of <paramref name="model"/> on a random input.</summary>
    /// <param name="model">Put in evaluation mode and run without the autograd tape.</param>
    /// <param name="inputShape">NCHW (or any shape the model takes); N is the batch the latency refers to.</param>
    /// <exception cref="NotSupportedException">The target is not <see cref="IsAvailable"/>.</exception>
    LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
        MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default);
}

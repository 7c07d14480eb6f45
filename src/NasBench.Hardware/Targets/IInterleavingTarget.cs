using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Targets;

/// <summary>A target that can measure many models together, interleaved (<see cref="InterleavedMeter"/>), so that a
/// latency study's networks and table entries all see the same spells of a shared machine.</summary>
public interface IInterleavingTarget : ITarget
{
    /// <summary>Latency of one inference forward pass of each model, measured in sweeps over all of them.</summary>
    /// <param name="workloads">Each model with its input shape (as in <see cref="ITarget.Measure"/>).</param>
    /// <param name="onSweep">Called after each sweep with the number of sweeps done.</param>
    /// <returns>One result per model, in the order given.</returns>
    IReadOnlyList<InterleavedMeasurement> MeasureInterleaved(
        IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads,
        InterleavedProtocol? protocol = null, Action<int>? onSweep = null,
        CancellationToken cancellationToken = default);

    /// <summary>The same models made ready to be measured in sweeps shared with other targets' workloads
    /// (<see cref="InterleavedMeter.Measure(IReadOnlyList{InterleavedWorkload}, InterleavedProtocol?, Action{int}?,
    /// CancellationToken)"/>): each workload sets this target's context (threads, clock) itself. Dispose the batch after measuring.</summary>
    InterleavedBatch PrepareInterleaved(
        IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads);
}

namespace NasBench.Hardware.Targets;

/// <summary>A target's models made ready for <see cref="InterleavedMeter"/>: the workloads, and the clean-up that
/// gives the models and the process back as they were (dispose after measuring, batches in reverse order).</summary>
public sealed class InterleavedBatch(IReadOnlyList<InterleavedWorkload> workloads, Action cleanUp) : IDisposable
{
    private Action? _cleanUp = cleanUp;

    public IReadOnlyList<InterleavedWorkload> Workloads { get; } = workloads;

    public void Dispose()
    {
        _cleanUp?.Invoke();
        _cleanUp = null;
    }
}

namespace NasBench.Kernels.Backends;

/// <summary>A place kernels run: the backend contract every device type implements (ILGPU's Accelerator, small).
/// </summary>
/// <remarks>
/// Probing a device never throws: a device that cannot run reports <see cref="IsAvailable"/> = false and says why in
/// <see cref="UnavailableReason"/>. Work submitted to a device may be asynchronous; <see cref="Synchronize"/> waits
/// for all of it, which is what a timer around device work must call before it stops.
/// </remarks>
public interface IComputeDevice
{
    /// <summary>Short stable identifier: <c>cpu</c>, <c>cuda:0</c>, ...</summary>
    string Name { get; }

    DeviceKind Kind { get; }

    bool IsAvailable { get; }

    /// <summary>Why the device cannot run work; null when <see cref="IsAvailable"/>.</summary>
    string? UnavailableReason { get; }

    /// <summary>One human-readable line: model, cores or SMs, memory, ISA or compute capability.</summary>
    string Description { get; }

    /// <summary>Named facts for fingerprints and reports (e.g. <c>simd</c>, <c>cores</c>, <c>compute</c>).</summary>
    IReadOnlyDictionary<string, string> Capabilities { get; }

    /// <summary>Blocks until all work submitted to the device has finished.</summary>
    void Synchronize();
}

using NasBench.Hardware.Targets;
using NasBench.Kernels.Backends;

namespace NasBench.Cli.Info;

/// <summary>Everything <c>nasbench info</c> prints; its JSON form is a stable contract (camelCase names).</summary>
internal sealed record InfoReport(MachineInfo Machine, IReadOnlyList<BackendInfo> Backends,
    IReadOnlyList<TargetInfo> Targets)
{
    public static InfoReport Collect()
    {
        var machine = MachineInfo.Detect();
        // The device registry probes CUDA lazily and never throws: an absent driver is an "unavailable" entry.
        var backends = DeviceRegistry.Describe().Select(d => new BackendInfo(
            d.Kind.ToString().ToLowerInvariant(),
            d.IsAvailable,
            d.IsAvailable ? $"{d.Name}: {d.Description}" : $"unavailable: {d.UnavailableReason}")).ToList();
        var targets = TargetRegistry.BuiltIn()
            .Select(t => new TargetInfo(t.Name, t.IsAvailable, $"{t.Description} ({t.Availability})")).ToList();
        return new InfoReport(machine, backends, targets);
    }
}

using NasBench.Kernels.Cpu;

namespace NasBench.Cli.Info;

/// <summary>Everything <c>nasbench info</c> prints; its JSON form is a stable contract (camelCase names).</summary>
internal sealed record InfoReport(MachineInfo Machine, IReadOnlyList<BackendInfo> Backends)
{
    public static InfoReport Collect()
    {
        var machine = MachineInfo.Detect();
        var cpu = new BackendInfo(
            "cpu",
            true,
            $"{machine.Simd.WidthName} kernels on {CpuParallel.MaxThreads} of {machine.LogicalCores} threads");
        return new InfoReport(machine, [cpu, CudaProbe.Probe()]);
    }
}

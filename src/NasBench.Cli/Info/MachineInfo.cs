using System.Runtime.InteropServices;
using NasBench.Kernels.Cpu;

namespace NasBench.Cli.Info;

/// <summary>The machine a run executes on, as <c>nasbench info</c> reports it (and as run reports will record it).
/// </summary>
/// <param name="CpuModel">From /proc/cpuinfo; "unknown" where that is unavailable.</param>
/// <param name="Architecture">The process architecture (X64, Arm64).</param>
/// <param name="LogicalCores">Logical processors visible to this process.</param>
/// <param name="CoresUsed">The CPU kernels' thread limit (<see cref="CpuParallel.MaxThreads"/>, set by
/// <c>--threads</c>).</param>
/// <param name="Simd">Vector widths and ISA extensions the JIT uses.</param>
/// <param name="Runtime">The .NET runtime description.</param>
/// <param name="Os">The operating system description.</param>
internal sealed record MachineInfo(
    string CpuModel,
    string Architecture,
    int LogicalCores,
    int CoresUsed,
    SimdSupport Simd,
    string Runtime,
    string Os)
{
    public static MachineInfo Detect() => new(
        Info.CpuModel.Read() ?? "unknown",
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        CpuParallel.MaxThreads,
        SimdSupport.Detect(),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);
}

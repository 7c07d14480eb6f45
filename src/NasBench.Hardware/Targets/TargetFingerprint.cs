using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace NasBench.Hardware.Targets;

/// <summary>What a latency depends on besides the model: which machine, how many cores, which vector width, which
/// runtime. Two tables can be compared op by op only as measurements of two fingerprints; a table is reused from the
/// cache only for the same fingerprint.</summary>
/// <param name="Target">Target name (<c>cpu</c>, <c>cpu-1t</c>, or the name of an imported device).</param>
/// <param name="Device">CPU model (or the device's name for an imported table).</param>
/// <param name="CoresUsed">Threads the kernels may use.</param>
/// <param name="SimdWidthBits">Widest vector the JIT accelerates (512, 256, 128, 0).</param>
/// <param name="Runtime">.NET runtime, or the tool that measured an imported table.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Gpu">GPU name where the target is a GPU, else null.</param>
/// <param name="GpuDriver">GPU driver version where the target is a GPU, else null.</param>
/// <param name="Clock">What samples time: <c>wall</c>, or <c>thread-cpu</c> (see <see cref="MeasurementClock"/>).
/// </param>
public sealed record TargetFingerprint(
    string Target,
    string Device,
    int CoresUsed,
    int SimdWidthBits,
    string Runtime,
    string Os,
    string? Gpu = null,
    string? GpuDriver = null,
    string Clock = TargetFingerprint.WallClock)
{
    public const string WallClock = "wall";
    public const string ThreadCpuClock = "thread-cpu";

    /// <summary>The fingerprint text of a clock.</summary>
    public static string ClockName(MeasurementClock clock) =>
        clock == MeasurementClock.ThreadCpu ? ThreadCpuClock : WallClock;

    /// <summary>A short stable hash of every field (12 hex digits): the cache directory name.</summary>
    public string Key
    {
        get
        {
            string text = string.Join('|', Target, Device, CoresUsed, SimdWidthBits, Runtime, Os, Gpu ?? "",
                GpuDriver ?? "", Clock == WallClock ? "" : Clock);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        }
    }

    /// <summary>One line for tables and logs.</summary>
    public string Describe() =>
        $"{Target}: {Device}, {CoresUsed} thread(s), {(SimdWidthBits == 0 ? "scalar" : $"{SimdWidthBits}-bit SIMD")}, "
        + $"{Runtime}" + (Gpu is null ? "" : $", {Gpu} (driver {GpuDriver})")
        + (Clock == WallClock ? "" : $", {Clock} clock");

    /// <summary>The fingerprint of this process for a CPU target using <paramref name="threads"/> threads.</summary>
    public static TargetFingerprint ForCpu(string target, int threads,
        MeasurementClock clock = MeasurementClock.Wall) => new(
        target,
        CpuModelName(),
        threads,
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128 : 0,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        Clock: ClockName(clock));

    /// <summary>The first <c>model name</c> of /proc/cpuinfo, else the process architecture.</summary>
    internal static string CpuModelName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && line[..colon].Trim().Equals("model name", StringComparison.OrdinalIgnoreCase))
                    {
                        return line[(colon + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

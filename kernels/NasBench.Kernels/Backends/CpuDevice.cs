using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Backends;

/// <summary>The host CPU: always available, the reference backend.</summary>
/// <remarks>CPU kernels run synchronously on the caller (and <see cref="CpuParallel"/> workers), so
/// <see cref="Synchronize"/> has nothing to wait for.</remarks>
public sealed class CpuDevice : IComputeDevice
{
    private static readonly Lazy<CpuDevice> LazyInstance = new(() => new CpuDevice());

    private CpuDevice()
    {
        SimdWidth = DetectSimdWidth();
        LogicalCores = Environment.ProcessorCount;
        Model = ReadCpuModel();
    }

    /// <summary>The one host CPU device.</summary>
    public static CpuDevice Instance => LazyInstance.Value;

    public string Name => "cpu";

    public DeviceKind Kind => DeviceKind.Cpu;

    public bool IsAvailable => true;

    public string? UnavailableReason => null;

    /// <summary>Widest vector width the kernels' run-time dispatch (Vector512 → 256 → 128 → scalar) will take.
    /// </summary>
    public SimdWidth SimdWidth { get; }

    /// <summary>Logical processors visible to this process.</summary>
    public int LogicalCores { get; }

    /// <summary>Worker threads the CPU kernels may use now (<see cref="CpuParallel.MaxThreads"/>).</summary>
    public static int Threads => CpuParallel.MaxThreads;

    /// <summary>CPU model name from the OS, or the architecture when the OS does not say.</summary>
    public string Model { get; }

    public string Description =>
        $"{Model}, {LogicalCores} logical cores, {Threads} kernel threads, SIMD {SimdName(SimdWidth)}";

    public IReadOnlyDictionary<string, string> Capabilities => new Dictionary<string, string>
    {
        ["model"] = Model,
        ["cores"] = LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["simd"] = SimdName(SimdWidth),
        ["arch"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["runtime"] = RuntimeInformation.FrameworkDescription,
    };

    public void Synchronize()
    {
    }

    /// <summary>Mirrors the kernels' dispatch order, so this is the path they actually take.</summary>
    internal static SimdWidth DetectSimdWidth() =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128
        : SimdWidth.Scalar;

    private static string SimdName(SimdWidth width) => width == SimdWidth.Scalar ? "scalar" : $"{(int)width}-bit";

    private static string ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
            {
                foreach (string line in File.ReadLines(cpuInfo))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        int colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon >= 0)
                        {
                            return line[(colon + 1)..].Trim();
                        }
                    }
                }
            }
        }
        catch (IOException)
        {
            // A sandbox may hide /proc; the architecture name is still a truthful description.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

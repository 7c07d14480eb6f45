using System.Globalization;
using System.Runtime.InteropServices;

namespace NasBench.Cli.Info;

/// <summary>Says whether the CUDA backend could run here, without depending on it.</summary>
/// <remarks>A stand-in until the CUDA backend's device registry lands: it is the one place <c>info</c> learns about
/// CUDA, so swapping it for the registry is a one-class change. It loads the driver library lazily (the driver ships
/// <c>libcuda.so.1</c>; the unversioned name exists only with developer packages) and asks the driver API for the
/// device count; any failure becomes an "unavailable: ..." status, never an exception.</remarks>
internal static class CudaProbe
{
    public const string DriverLibrary = "libcuda.so.1";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CuInit(uint flags);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CuGetInt(out int value);

    public static BackendInfo Probe()
    {
        if (!NativeLibrary.TryLoad(DriverLibrary, out nint driver))
        {
            return Unavailable($"{DriverLibrary} not found");
        }
        if (!TryGet(driver, "cuInit", out CuInit? init)
            || !TryGet(driver, "cuDeviceGetCount", out CuGetInt? deviceCount)
            || !TryGet(driver, "cuDriverGetVersion", out CuGetInt? driverVersion))
        {
            return Unavailable($"{DriverLibrary} lacks the driver API entry points");
        }
        int result = init(0);
        if (result != 0)
        {
            return Unavailable($"cuInit failed: {Describe(result)}");
        }
        result = deviceCount(out int count);
        if (result != 0)
        {
            return Unavailable($"cuDeviceGetCount failed: {Describe(result)}");
        }
        if (count == 0)
        {
            return Unavailable("the driver reports no CUDA device");
        }
        string version = driverVersion(out int v) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{v / 1000}.{v % 1000 / 10}")
            : "unknown";
        return new BackendInfo(
            "cuda",
            true,
            string.Create(CultureInfo.InvariantCulture, $"{count} device(s), driver API {version} ({DriverLibrary})"));
    }

    private static BackendInfo Unavailable(string reason) => new("cuda", false, $"unavailable: {reason}");

    private static bool TryGet<T>(nint library, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? function)
        where T : Delegate
    {
        function = NativeLibrary.TryGetExport(library, name, out nint address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : null;
        return function is not null;
    }

    /// <summary>The CUresult codes a probe can meet, by name (cuda.h).</summary>
    private static string Describe(int code) => code switch
    {
        3 => "CUDA_ERROR_NOT_INITIALIZED (3)",
        34 => "CUDA_ERROR_STUB_LIBRARY (34): the toolkit's stub libcuda was loaded instead of the driver's",
        35 => "CUDA_ERROR_INSUFFICIENT_DRIVER (35)",
        100 => "CUDA_ERROR_NO_DEVICE (100)",
        101 => "CUDA_ERROR_INVALID_DEVICE (101)",
        999 => "CUDA_ERROR_UNKNOWN (999)",
        _ => string.Create(CultureInfo.InvariantCulture, $"CUresult {code}"),
    };
}

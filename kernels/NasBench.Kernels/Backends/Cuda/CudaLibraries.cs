using System.Reflection;
using System.Runtime.InteropServices;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>
/// The one <see cref="NativeLibrary.SetDllImportResolver"/> of this assembly (the runtime allows one per assembly):
/// maps the logical library names of the P/Invoke declarations to the first loadable candidate of an ordered list.
/// </summary>
/// <remarks>
/// Candidates are ordered most specific first. The driver ships <c>libcuda.so.1</c>; the unversioned
/// <c>libcuda.so</c> exists only with developer packages and may be the toolkit's stub (which answers
/// <c>CUDA_ERROR_STUB_LIBRARY</c>). NVRTC is probed newest first; Debian's non-free <c>libnvrtc11.2</c> provides
/// <c>libnvrtc.so.11.2</c>. Add further native libraries (cuBLAS) here, not with a second resolver.
/// </remarks>
internal static class CudaLibraries
{
    /// <summary>Logical name the driver imports use.</summary>
    public const string Driver = "nasbench-cuda-driver";

    /// <summary>Logical name the NVRTC imports use.</summary>
    public const string Nvrtc = "nasbench-nvrtc";

    public static readonly IReadOnlyList<string> DriverCandidates = OperatingSystem.IsWindows()
        ? ["nvcuda.dll"]
        : ["libcuda.so.1", "libcuda.so"];

    public static readonly IReadOnlyList<string> NvrtcCandidates = OperatingSystem.IsWindows()
        ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
        : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"];

    private static readonly Lazy<NativeLibraryProbe> LazyDriver =
        new(() => NativeLibraryProbe.Load("CUDA driver", DriverCandidates));

    private static readonly Lazy<NativeLibraryProbe> LazyNvrtc =
        new(() => NativeLibraryProbe.Load("NVRTC", NvrtcCandidates));

    static CudaLibraries() => NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);

    public static NativeLibraryProbe DriverLibrary => LazyDriver.Value;

    public static NativeLibraryProbe NvrtcLibrary => LazyNvrtc.Value;

    /// <summary>Installs the resolver (runs the static constructor) before any import is bound.</summary>
    public static void EnsureResolver()
    {
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName switch
        {
            Driver => DriverLibrary.Handle,
            Nvrtc => NvrtcLibrary.Handle,
            _ => IntPtr.Zero,
        };
}

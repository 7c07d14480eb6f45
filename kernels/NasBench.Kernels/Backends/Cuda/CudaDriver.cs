using System.Runtime.InteropServices;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>P/Invoke declarations for the CUDA driver API (<c>libcuda.so.1</c>) and the checked helpers around them.
/// </summary>
/// <remarks>
/// Every import is blittable (pointers, integers, <see cref="CudaResult"/>), so calls marshal nothing. The C headers
/// rename several entry points to <c>_v2</c> by macro; the library exports both, and only the <c>_v2</c> ones take
/// 64-bit device pointers and sizes, so those are bound explicitly. Device pointers are <see cref="ulong"/>.
/// The library is resolved by <see cref="CudaLibraries"/>; nothing here runs until <see cref="Status"/> is read.
/// </remarks>
internal static unsafe partial class CudaDriver
{
    public const int AttributeMaxThreadsPerBlock = 1;
    public const int AttributeMaxSharedMemoryPerBlock = 8;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    private static readonly Lazy<CudaAvailability> LazyStatus = new(Probe);

    static CudaDriver() => CudaLibraries.EnsureResolver();

    /// <summary>Whether the driver loads, initialises and sees a device; probed once, never throws.</summary>
    public static CudaAvailability Status => LazyStatus.Value;

    /// <summary>Throws <see cref="CudaException"/> naming <paramref name="call"/> unless the call succeeded.</summary>
    public static void Check(CudaResult result, string call)
    {
        if (result != CudaResult.Success)
        {
            throw new CudaException(call, result);
        }
    }

    /// <summary>"CUDA_ERROR_X (n): driver message" — from the driver when it is loaded, else from our table.</summary>
    public static string Describe(CudaResult result)
    {
        string? name = null, text = null;
        if (CudaLibraries.DriverLibrary.IsLoaded)
        {
            try
            {
                byte* p;
                if (cuGetErrorName(result, &p) == CudaResult.Success && p != null)
                {
                    name = Marshal.PtrToStringUTF8((IntPtr)p);
                }
                if (cuGetErrorString(result, &p) == CudaResult.Success && p != null)
                {
                    text = Marshal.PtrToStringUTF8((IntPtr)p);
                }
            }
            catch (EntryPointNotFoundException)
            {
                // Very old drivers lack the error-string entry points; fall through to our own names.
            }
        }
        name ??= Enum.IsDefined(result) ? "CUDA_ERROR_" + UpperSnake(result.ToString()) : "CUDA_ERROR";
        return text is null ? $"{name} ({(int)result})" : $"{name} ({(int)result}): {text}";
    }

    /// <summary>IllegalAddress → ILLEGAL_ADDRESS, the driver's own spelling.</summary>
    private static string UpperSnake(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                text.Append('_');
            }
            text.Append(char.ToUpperInvariant(pascal[i]));
        }
        return text.ToString();
    }

    private static CudaAvailability Probe()
    {
        NativeLibraryProbe library = CudaLibraries.DriverLibrary;
        if (!library.IsLoaded)
        {
            return CudaAvailability.Unavailable(library.FailureReason ?? "the CUDA driver library did not load", null);
        }
        try
        {
            CudaResult init = cuInit(0);
            if (init == CudaResult.StubLibrary)
            {
                return CudaAvailability.Unavailable(
                    $"{library.LoadedName} is the CUDA toolkit's stub library, not an installed driver",
                    library.LoadedName);
            }
            if (init != CudaResult.Success)
            {
                return CudaAvailability.Unavailable($"cuInit failed: {Describe(init)}", library.LoadedName);
            }
            int version, count;
            Check(cuDriverGetVersion(&version), nameof(cuDriverGetVersion));
            Check(cuDeviceGetCount(&count), nameof(cuDeviceGetCount));
            return count == 0
                ? CudaAvailability.Unavailable("the CUDA driver reports no device", library.LoadedName) with
                {
                    DriverVersion = version,
                }
                : new CudaAvailability(true, null, library.LoadedName, version, count);
        }
        catch (EntryPointNotFoundException ex)
        {
            return CudaAvailability.Unavailable($"{library.LoadedName} lacks a driver entry point: {ex.Message}",
                library.LoadedName);
        }
        catch (CudaException ex)
        {
            return CudaAvailability.Unavailable(ex.Message, library.LoadedName);
        }
    }

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuInit(uint flags);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDriverGetVersion(int* version);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuGetErrorName(CudaResult error, byte** name);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuGetErrorString(CudaResult error, byte** text);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDeviceGetCount(int* count);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDeviceGet(int* device, int ordinal);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDeviceTotalMem_v2(nuint* bytes, int device);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDevicePrimaryCtxRetain(IntPtr* context, int device);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuDevicePrimaryCtxRelease_v2(int device);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuCtxSetCurrent(IntPtr context);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuCtxSynchronize();

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuMemAlloc_v2(ulong* devicePointer, nuint bytes);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuMemFree_v2(ulong devicePointer);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuMemsetD8_v2(ulong destination, byte value, nuint count);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuModuleLoadData(IntPtr* module, void* image);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuModuleUnload(IntPtr module);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuModuleGetFunction(IntPtr* function, IntPtr module, byte* name);

    [LibraryImport(CudaLibraries.Driver)]
    internal static partial CudaResult cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ,
        uint blockX, uint blockY, uint blockZ, uint sharedBytes, IntPtr stream, void** parameters, void** extra);
}

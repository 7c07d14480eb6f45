using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>The NVRTC run-time CUDA C++ compiler: CUDA source → PTX (virtual arch) or CUBIN (real arch).</summary>
/// <remarks>
/// Loaded lazily from <see cref="CudaLibraries.NvrtcCandidates"/>; when none loads, <see cref="IsAvailable"/> is false
/// and <see cref="UnavailableReason"/> lists what was tried. Compile to CUBIN for the device's own <c>sm_XY</c> when a
/// device exists: PTX from an NVRTC newer than the driver fails to load (<c>CUDA_ERROR_UNSUPPORTED_PTX_VERSION</c>).
/// Kernels must be <c>extern "C"</c> so their names survive C++ mangling.
/// </remarks>
public static unsafe partial class Nvrtc
{
    /// <summary><c>NVRTC_ERROR_COMPILATION</c>: the source has errors; read the log.</summary>
    public const int ErrorCompilation = 6;

    private static readonly Lazy<(Version? Version, string? Reason)> LazyStatus = new(Probe);

    private static readonly Lazy<int[]> LazyArchitectures = new(ReadArchitectures);

    static Nvrtc() => CudaLibraries.EnsureResolver();

    public static bool IsAvailable => LazyStatus.Value.Version is not null;

    /// <summary>Why NVRTC cannot be used (libraries tried and their errors); null when available.</summary>
    public static string? UnavailableReason => LazyStatus.Value.Reason;

    /// <summary>NVRTC's own version (the CUDA toolkit release it belongs to), or null.</summary>
    public static Version? Version => LazyStatus.Value.Version;

    /// <summary>The library file that loaded, e.g. <c>libnvrtc.so.11.2</c>.</summary>
    public static string? LibraryName => CudaLibraries.NvrtcLibrary.LoadedName;

    /// <summary>The real architectures (e.g. 35 … 90) this NVRTC can target, ascending; empty when unknown.</summary>
    public static IReadOnlyList<int> SupportedArchitectures => LazyArchitectures.Value;

    /// <summary>Compiles to PTX for the virtual architecture <c>compute_{computeCapability}</c> (e.g. 70, 90).
    /// </summary>
    /// <returns>The PTX text, NUL-terminated as <c>cuModuleLoadData</c> expects.</returns>
    /// <exception cref="NvrtcException">Compilation failed (the message carries the program log).</exception>
    public static byte[] CompileToPtx(string source, string programName, int computeCapability,
        params string[] extraOptions) =>
        Compile(source, programName, $"compute_{computeCapability.ToString(CultureInfo.InvariantCulture)}", false,
            extraOptions);

    /// <summary>Compiles to a CUBIN for the real architecture <c>sm_{computeCapability}</c>.</summary>
    public static byte[] CompileToCubin(string source, string programName, int computeCapability,
        params string[] extraOptions) =>
        Compile(source, programName, $"sm_{computeCapability.ToString(CultureInfo.InvariantCulture)}", true,
            extraOptions);

    private static byte[] Compile(string source, string programName, string arch, bool cubin, string[] extraOptions)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(programName);
        ArgumentNullException.ThrowIfNull(extraOptions);
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"NVRTC is not available: {UnavailableReason}");
        }
        var options = new List<string>(extraOptions.Length + 1) { $"--gpu-architecture={arch}" };
        options.AddRange(extraOptions);

        IntPtr program;
        fixed (byte* src = NulTerminated(source))
        fixed (byte* name = NulTerminated(programName))
        {
            Check(nvrtcCreateProgram(&program, src, name, 0, null, null), nameof(nvrtcCreateProgram), IntPtr.Zero);
        }
        try
        {
            var handles = new GCHandle[options.Count];
            byte** optionPointers = stackalloc byte*[options.Count];
            try
            {
                for (int i = 0; i < options.Count; i++)
                {
                    handles[i] = GCHandle.Alloc(NulTerminated(options[i]), GCHandleType.Pinned);
                    optionPointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                }
                int compiled = nvrtcCompileProgram(program, options.Count, optionPointers);
                if (compiled != 0)
                {
                    throw new NvrtcException(
                        $"NVRTC ({LibraryName}) could not compile '{programName}' for {arch}: {ErrorString(compiled)}",
                        compiled, ProgramLog(program));
                }
            }
            finally
            {
                foreach (GCHandle handle in handles)
                {
                    if (handle.IsAllocated)
                    {
                        handle.Free();
                    }
                }
            }

            nuint size;
            byte[] image;
            if (cubin)
            {
                Check(nvrtcGetCUBINSize(program, &size), nameof(nvrtcGetCUBINSize), program);
                image = new byte[(int)size];
                fixed (byte* p = image)
                {
                    Check(nvrtcGetCUBIN(program, p), nameof(nvrtcGetCUBIN), program);
                }
            }
            else
            {
                Check(nvrtcGetPTXSize(program, &size), nameof(nvrtcGetPTXSize), program);
                image = new byte[(int)size];
                fixed (byte* p = image)
                {
                    Check(nvrtcGetPTX(program, p), nameof(nvrtcGetPTX), program);
                }
            }
            return image;
        }
        finally
        {
            _ = nvrtcDestroyProgram(&program);
        }
    }

    private static (Version?, string?) Probe()
    {
        NativeLibraryProbe library = CudaLibraries.NvrtcLibrary;
        if (!library.IsLoaded)
        {
            return (null, library.FailureReason);
        }
        try
        {
            int major, minor;
            int result = nvrtcVersion(&major, &minor);
            return result == 0
                ? (new Version(major, minor), null)
                : (null, $"nvrtcVersion failed in {library.LoadedName}: {ErrorString(result)}");
        }
        catch (EntryPointNotFoundException ex)
        {
            return (null, $"{library.LoadedName} lacks an NVRTC entry point: {ex.Message}");
        }
    }

    private static int[] ReadArchitectures()
    {
        if (!IsAvailable)
        {
            return [];
        }
        try
        {
            int count;
            if (nvrtcGetNumSupportedArchs(&count) != 0 || count <= 0)
            {
                return [];
            }
            var archs = new int[count];
            fixed (int* p = archs)
            {
                return nvrtcGetSupportedArchs(p) == 0 ? archs.Order().ToArray() : [];
            }
        }
        catch (EntryPointNotFoundException)
        {
            // NVRTC before 11.2 cannot list its targets; callers then simply try the architecture they want.
            return [];
        }
    }

    private static void Check(int result, string call, IntPtr program)
    {
        if (result != 0)
        {
            throw new NvrtcException($"{call} failed: {ErrorString(result)}", result,
                program == IntPtr.Zero ? null : ProgramLog(program));
        }
    }

    private static string ErrorString(int result)
    {
        byte* text = nvrtcGetErrorString(result);
        return $"{(text == null ? "NVRTC error" : Marshal.PtrToStringUTF8((IntPtr)text))} ({result})";
    }

    private static string? ProgramLog(IntPtr program)
    {
        nuint size;
        if (nvrtcGetProgramLogSize(program, &size) != 0 || size <= 1)
        {
            return null;
        }
        var log = new byte[(int)size];
        fixed (byte* p = log)
        {
            if (nvrtcGetProgramLog(program, p) != 0)
            {
                return null;
            }
        }
        return Encoding.UTF8.GetString(log, 0, log.Length - 1).TrimEnd();
    }

    private static byte[] NulTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcVersion(int* major, int* minor);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetNumSupportedArchs(int* count);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetSupportedArchs(int* archs);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial byte* nvrtcGetErrorString(int result);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcCreateProgram(IntPtr* program, byte* source, byte* name, int headerCount,
        byte** headers, byte** includeNames);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcCompileProgram(IntPtr program, int optionCount, byte** options);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetProgramLogSize(IntPtr program, nuint* size);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetProgramLog(IntPtr program, byte* log);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetPTXSize(IntPtr program, nuint* size);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetPTX(IntPtr program, byte* ptx);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetCUBINSize(IntPtr program, nuint* size);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcGetCUBIN(IntPtr program, byte* cubin);

    [LibraryImport(CudaLibraries.Nvrtc)]
    private static partial int nvrtcDestroyProgram(IntPtr* program);
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>One CUDA GPU, driven through the driver API on its primary context.</summary>
/// <remarks>
/// <para>Getting a device never throws: when the driver is missing or the ordinal does not exist the instance reports
/// <see cref="IsAvailable"/> = false with the reason, and any attempt to run work on it throws
/// <see cref="InvalidOperationException"/> carrying that reason.</para>
/// <para>A CUDA context is current per thread. Every entry point (allocation, copy, launch, synchronise) makes the
/// primary context current on the calling thread first, so work may come from thread-pool threads, after an
/// <c>await</c> or from parallel tests. The primary context is shared with any library (cuBLAS) that uses it.</para>
/// </remarks>
public sealed unsafe class CudaDevice : IComputeDevice, IDisposable
{
    private static readonly Dictionary<int, CudaDevice> Devices = [];

    private readonly Dictionary<string, CudaModule> _modules = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly int _handle;
    private IntPtr _context;

    private CudaDevice(int ordinal, string reason)
    {
        Ordinal = ordinal;
        UnavailableReason = reason;
        Model = "unavailable";
    }

    private CudaDevice(int ordinal, int handle)
    {
        Ordinal = ordinal;
        _handle = handle;
        byte* name = stackalloc byte[256];
        CudaDriver.Check(CudaDriver.cuDeviceGetName(name, 256, handle), "cuDeviceGetName");
        Model = Marshal.PtrToStringUTF8((IntPtr)name) ?? "CUDA device";
        int major = Attribute(CudaDriver.AttributeComputeCapabilityMajor);
        int minor = Attribute(CudaDriver.AttributeComputeCapabilityMinor);
        ComputeCapability = (major * 10) + minor;
        MultiprocessorCount = Attribute(CudaDriver.AttributeMultiprocessorCount);
        MaxThreadsPerBlock = Attribute(CudaDriver.AttributeMaxThreadsPerBlock);
        MaxSharedMemoryPerBlock = Attribute(CudaDriver.AttributeMaxSharedMemoryPerBlock);
        nuint bytes;
        CudaDriver.Check(CudaDriver.cuDeviceTotalMem_v2(&bytes, handle), "cuDeviceTotalMem_v2");
        TotalMemoryBytes = (long)bytes;
    }

    /// <summary>Probes the driver once (library, <c>cuInit</c>, device count); never throws.</summary>
    public static CudaAvailability Probe() => CudaDriver.Status;

    /// <summary>Null when device <paramref name="ordinal"/> can run our kernels (a driver, the device itself, and NVRTC
    /// to compile them), else why not; never throws. The GPU tests skip with it and the CUDA timings stop with it.
    /// </summary>
    public static string? KernelsUnavailableReason(int ordinal = 0)
    {
        CudaAvailability status = Probe();
        if (!status.IsAvailable)
        {
            return status.Reason ?? "the CUDA driver reports no device";
        }
        CudaDevice device = Get(ordinal);
        if (!device.IsAvailable)
        {
            return device.UnavailableReason;
        }
        return Nvrtc.IsAvailable ? null : $"CUDA device present but NVRTC is not: {Nvrtc.UnavailableReason}";
    }

    /// <summary>The devices that can run work; empty when there is no driver or no GPU.</summary>
    public static IReadOnlyList<CudaDevice> Enumerate()
    {
        CudaAvailability status = Probe();
        var devices = new List<CudaDevice>(status.DeviceCount);
        for (int i = 0; i < status.DeviceCount; i++)
        {
            CudaDevice device = Get(i);
            if (device.IsAvailable)
            {
                devices.Add(device);
            }
        }
        return devices;
    }

    /// <summary>The device with this ordinal (one shared instance per ordinal); unavailable, not thrown, on failure.
    /// </summary>
    public static CudaDevice Get(int ordinal = 0)
    {
        lock (Devices)
        {
            if (!Devices.TryGetValue(ordinal, out CudaDevice? device))
            {
                device = Open(ordinal);
                Devices.Add(ordinal, device);
            }
            return device;
        }
    }

    public int Ordinal { get; }

    public string Name => $"cuda:{Ordinal.ToString(CultureInfo.InvariantCulture)}";

    public DeviceKind Kind => DeviceKind.Cuda;

    public bool IsAvailable => UnavailableReason is null;

    public string? UnavailableReason { get; }

    /// <summary>The GPU's product name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public string Model { get; }

    /// <summary>10·major + minor, e.g. 90 for sm_90 (H100/H200); 0 when unavailable.</summary>
    public int ComputeCapability { get; }

    public int MultiprocessorCount { get; }

    public int MaxThreadsPerBlock { get; }

    public int MaxSharedMemoryPerBlock { get; }

    public long TotalMemoryBytes { get; }

    public string Description => IsAvailable
        ? $"{Model}, sm_{ComputeCapability.ToString(CultureInfo.InvariantCulture)}, {MultiprocessorCount} SMs, "
          + $"{TotalMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB, driver CUDA {DriverVersionText}"
        : $"CUDA unavailable: {UnavailableReason}";

    public IReadOnlyDictionary<string, string> Capabilities => IsAvailable
        ? new Dictionary<string, string>
        {
            ["model"] = Model,
            ["compute"] = $"sm_{ComputeCapability.ToString(CultureInfo.InvariantCulture)}",
            ["sms"] = MultiprocessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory_bytes"] = TotalMemoryBytes.ToString(CultureInfo.InvariantCulture),
            ["driver"] = DriverVersionText,
            ["driver_library"] = Probe().DriverLibrary ?? "",
            ["nvrtc"] = Nvrtc.Version?.ToString() ?? "unavailable",
        }
        : new Dictionary<string, string> { ["unavailable"] = UnavailableReason ?? "" };

    private static string DriverVersionText
    {
        get
        {
            int v = Probe().DriverVersion;
            return string.Create(CultureInfo.InvariantCulture, $"{v / 1000}.{v % 1000 / 10}");
        }
    }

    public void Synchronize()
    {
        MakeCurrent();
        CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /// <summary>Allocates <paramref name="length"/> elements of device memory (contents undefined).</summary>
    public CudaBuffer<T> Allocate<T>(int length)
        where T : unmanaged => new(this, length);

    /// <summary>Allocates a buffer and copies <paramref name="source"/> into it.</summary>
    public CudaBuffer<T> Upload<T>(ReadOnlySpan<T> source)
        where T : unmanaged
    {
        var buffer = new CudaBuffer<T>(this, source.Length);
        buffer.CopyFrom(source);
        return buffer;
    }

    /// <summary>Compiles CUDA C source with NVRTC and loads it: a CUBIN for this device's own <c>sm_XY</c>, or, when
    /// this NVRTC is older than the device, PTX for the newest architecture it knows, which the driver then JITs.
    /// </summary>
    public CudaModule LoadModule(string source, string programName)
    {
        ThrowIfUnavailable();
        IReadOnlyList<int> archs = Nvrtc.SupportedArchitectures;
        byte[] image = archs.Count == 0 || archs.Contains(ComputeCapability)
            ? Nvrtc.CompileToCubin(source, programName, ComputeCapability)
            : Nvrtc.CompileToPtx(source, programName,
                archs.Where(a => a <= ComputeCapability).DefaultIfEmpty(archs[0]).Max());
        return new CudaModule(this, image, programName);
    }

    /// <summary>Loads a ready CUBIN, fatbin or NUL-terminated PTX image.</summary>
    public CudaModule LoadModule(byte[] image, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfUnavailable();
        return new CudaModule(this, image, name);
    }

    /// <summary>The module built from an embedded <c>Cuda/*.cu</c> file, compiled on first use and cached.</summary>
    public CudaModule GetEmbeddedModule(string fileName)
    {
        lock (_gate)
        {
            if (!_modules.TryGetValue(fileName, out CudaModule? module))
            {
                module = LoadModule(CudaSources.Read(fileName), fileName);
                _modules.Add(fileName, module);
            }
            return module;
        }
    }

    /// <summary>Makes the primary context current on this thread, retaining it on first use.</summary>
    internal void MakeCurrent()
    {
        ThrowIfUnavailable();
        IntPtr context = _context;
        if (context == IntPtr.Zero)
        {
            lock (_gate)
            {
                if (_context == IntPtr.Zero)
                {
                    IntPtr retained;
                    CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(&retained, _handle),
                        "cuDevicePrimaryCtxRetain");
                    _context = retained;
                }
                context = _context;
            }
        }
        CudaDriver.Check(CudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /// <summary>Unloads the cached modules and releases the primary context (buffers must be disposed first).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_context == IntPtr.Zero)
            {
                return;
            }
            foreach (CudaModule module in _modules.Values)
            {
                module.Dispose();
            }
            _modules.Clear();
            _ = CudaDriver.cuDevicePrimaryCtxRelease_v2(_handle);
            _context = IntPtr.Zero;
        }
    }

    private static CudaDevice Open(int ordinal)
    {
        CudaAvailability status = Probe();
        if (!status.IsAvailable)
        {
            return new CudaDevice(ordinal, status.Reason ?? "CUDA is unavailable");
        }
        if (ordinal < 0 || ordinal >= status.DeviceCount)
        {
            return new CudaDevice(ordinal,
                $"no CUDA device {ordinal.ToString(CultureInfo.InvariantCulture)}: "
                + $"the driver reports {status.DeviceCount}");
        }
        try
        {
            int handle;
            CudaDriver.Check(CudaDriver.cuDeviceGet(&handle, ordinal), "cuDeviceGet");
            return new CudaDevice(ordinal, handle);
        }
        catch (CudaException ex)
        {
            return new CudaDevice(ordinal, ex.Message);
        }
    }

    private int Attribute(int attribute)
    {
        int value;
        CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(&value, attribute, _handle), "cuDeviceGetAttribute");
        return value;
    }

    private void ThrowIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            throw new InvalidOperationException($"{Name} cannot run work: {UnavailableReason}");
        }
    }
}

using System.Text;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>A loaded CUBIN or PTX image and the kernels looked up in it.</summary>
public sealed unsafe class CudaModule : IDisposable
{
    private readonly Dictionary<string, CudaKernel> _kernels = new(StringComparer.Ordinal);
    private IntPtr _handle;

    internal CudaModule(CudaDevice device, byte[] image, string name)
    {
        Device = device;
        Name = name;
        device.MakeCurrent();
        IntPtr handle;
        fixed (byte* p = image)
        {
            CudaDriver.Check(CudaDriver.cuModuleLoadData(&handle, p), $"cuModuleLoadData({name})");
        }
        _handle = handle;
    }

    public CudaDevice Device { get; }

    /// <summary>The program name the image was built from (the .cu file name for embedded kernels).</summary>
    public string Name { get; }

    /// <summary>The <c>extern "C"</c> kernel <paramref name="kernelName"/>; looked up once, then cached.</summary>
    /// <exception cref="CudaException"><c>CUDA_ERROR_NOT_FOUND</c> when the module has no such kernel.</exception>
    public CudaKernel GetKernel(string kernelName)
    {
        ArgumentNullException.ThrowIfNull(kernelName);
        lock (_kernels)
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            if (_kernels.TryGetValue(kernelName, out CudaKernel? kernel))
            {
                return kernel;
            }
            Device.MakeCurrent();
            byte[] utf8 = Encoding.UTF8.GetBytes(kernelName + "\0");
            IntPtr function;
            fixed (byte* p = utf8)
            {
                CudaDriver.Check(CudaDriver.cuModuleGetFunction(&function, _handle, p),
                    $"cuModuleGetFunction({Name}:{kernelName})");
            }
            kernel = new CudaKernel(Device, function, kernelName);
            _kernels.Add(kernelName, kernel);
            return kernel;
        }
    }

    public void Dispose()
    {
        lock (_kernels)
        {
            if (_handle != IntPtr.Zero)
            {
                Device.MakeCurrent();
                _ = CudaDriver.cuModuleUnload(_handle);
                _handle = IntPtr.Zero;
                _kernels.Clear();
            }
        }
    }
}

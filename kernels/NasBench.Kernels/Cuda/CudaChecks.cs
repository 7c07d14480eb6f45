using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>Argument checks shared by the CUDA kernel wrappers: a kernel never sees a buffer too short for its shape,
/// because an out-of-bounds device access poisons the whole context.</summary>
internal static class CudaChecks
{
    public static void Length<T>(CudaBuffer<T> buffer, long needed, string name)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.Length < needed)
        {
            throw new ArgumentException($"{name} holds {buffer.Length} elements; the shape needs {needed}.", name);
        }
    }

    public static void SameDevice<T>(CudaDevice device, CudaBuffer<T> buffer, string name)
        where T : unmanaged
    {
        if (!ReferenceEquals(buffer.Device, device))
        {
            throw new ArgumentException($"{name} lives on {buffer.Device.Name}, the kernel on {device.Name}.", name);
        }
    }
}

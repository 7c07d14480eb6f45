using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Backends;

/// <summary>Finds the compute devices of this machine; probing never throws.</summary>
public static class DeviceRegistry
{
    /// <summary>The devices that can run work: the CPU first, then every available CUDA GPU.</summary>
    public static IReadOnlyList<IComputeDevice> Available()
    {
        var devices = new List<IComputeDevice> { CpuDevice.Instance };
        devices.AddRange(CudaDevice.Enumerate());
        return devices;
    }

    /// <summary>One entry per backend, available or not, with the reason for each that is not (for <c>info</c>).
    /// </summary>
    public static IReadOnlyList<IComputeDevice> Describe()
    {
        var devices = new List<IComputeDevice> { CpuDevice.Instance };
        IReadOnlyList<CudaDevice> gpus = CudaDevice.Enumerate();
        devices.AddRange(gpus.Count > 0 ? gpus : [CudaDevice.Get(0)]);
        return devices;
    }

    /// <summary>The device named <paramref name="name"/> (<c>cpu</c>, <c>cuda</c> = <c>cuda:0</c>, <c>cuda:N</c>).
    /// </summary>
    /// <returns>The device (possibly unavailable, with its reason), or null when the name names no device.</returns>
    public static IComputeDevice? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return CpuDevice.Instance;
        }
        if (name.Equals("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return CudaDevice.Get(0);
        }
        if (name.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int ordinal))
        {
            return CudaDevice.Get(ordinal);
        }
        return null;
    }
}

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>What probing the CUDA driver found.</summary>
/// <param name="IsAvailable">The driver loaded, initialised and reports at least one device.</param>
/// <param name="Reason">Why not, when unavailable: the libraries tried and their errors, or the driver's error.</param>
/// <param name="DriverLibrary">The library file that loaded, if any.</param>
/// <param name="DriverVersion">CUDA version the driver supports, encoded 1000·major + 10·minor (0 if unknown).</param>
/// <param name="DeviceCount">Devices the driver sees.</param>
public sealed record CudaAvailability(
    bool IsAvailable, string? Reason, string? DriverLibrary, int DriverVersion, int DeviceCount)
{
    internal static CudaAvailability Unavailable(string reason, string? library) => new(false, reason, library, 0, 0);
}

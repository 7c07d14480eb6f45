namespace NasBench.Kernels.Backends;

/// <summary>The family of a compute device; one value per backend folder.</summary>
public enum DeviceKind
{
    Cpu,
    Cuda,
}

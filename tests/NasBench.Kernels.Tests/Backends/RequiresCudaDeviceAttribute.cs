namespace NasBench.Kernels.Tests.Backends;

/// <summary>Marks a concrete backend test class whose <see cref="BackendFactAttribute"/> tests need a CUDA device.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresCudaDeviceAttribute : Attribute;

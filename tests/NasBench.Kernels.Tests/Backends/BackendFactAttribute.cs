using Xunit.Sdk;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>A fact declared once on the abstract <see cref="BackendKernelTests"/> and run by every backend subclass;
/// in a subclass marked <see cref="RequiresCudaDeviceAttribute"/> it skips itself when no GPU is found.</summary>
/// <remarks>An attribute on an inherited method is one instance for all subclasses, so the skip decision is taken
/// per test class by <see cref="BackendFactDiscoverer"/> rather than in this constructor.</remarks>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("NasBench.Kernels.Tests.Backends.BackendFactDiscoverer", "NasBench.Kernels.Tests")]
public sealed class BackendFactAttribute : FactAttribute;

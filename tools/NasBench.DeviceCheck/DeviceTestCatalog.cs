using System.Reflection;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Tests.Backends;
using Xunit;
using Xunit.Sdk;

namespace NasBench.DeviceCheck;

/// <summary>Finds the tests of <c>NasBench.Kernels.Tests</c> by the same attributes xunit reads, without a test
/// host: the device machine has a .NET runtime we carry there, not the SDK that <c>dotnet test</c> needs.</summary>
/// <remarks>By default only the tests that need a GPU or NVRTC are taken: facts marked <see cref="GpuFactAttribute"/>,
/// <see cref="NvrtcFactAttribute"/> or <see cref="NvrtcTheoryAttribute"/>, and the inherited backend facts of classes
/// marked <see cref="RequiresCudaDeviceAttribute"/>. The skip rules are xunit's and <see cref="BackendFactDiscoverer"/>'s:
/// an attribute's <c>Skip</c>, and for a CUDA backend class the probe's reason when no device is found.</remarks>
internal static class DeviceTestCatalog
{
    public static IReadOnlyList<DeviceTestCase> Discover(bool everything, string? filter)
    {
        Assembly tests = typeof(GpuFactAttribute).Assembly;
        var cases = new List<DeviceTestCase>();
        foreach (Type type in tests.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true })
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            bool cudaClass = type.GetCustomAttribute<RequiresCudaDeviceAttribute>() is not null;
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                         .OrderBy(m => m.MetadataToken))
            {
                if (method.GetCustomAttribute<FactAttribute>(inherit: true) is not { } fact)
                {
                    continue;
                }
                bool needsDevice = cudaClass || fact is GpuFactAttribute or NvrtcFactAttribute or NvrtcTheoryAttribute;
                if (!everything && !needsDevice)
                {
                    continue;
                }
                string? skip = fact.Skip ?? (cudaClass ? CudaDevice.KernelsUnavailableReason() : null);
                foreach (object?[] arguments in Arguments(method, fact))
                {
                    var test = new DeviceTestCase(type, method, arguments, skip);
                    if (filter is null || test.DisplayName.Contains(filter, StringComparison.OrdinalIgnoreCase))
                    {
                        cases.Add(test);
                    }
                }
            }
        }
        return cases;
    }

    private static IEnumerable<object?[]> Arguments(MethodInfo method, FactAttribute fact)
    {
        if (fact is not TheoryAttribute)
        {
            return [[]];
        }
        // Inline and member data alike: each DataAttribute yields the rows xunit would run.
        return method.GetCustomAttributes<DataAttribute>(inherit: true).SelectMany(d => d.GetData(method));
    }
}

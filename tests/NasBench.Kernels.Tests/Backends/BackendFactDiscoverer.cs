using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>Discovers <see cref="BackendFactAttribute"/> tests as <see cref="BackendTestCase"/>s.</summary>
public sealed class BackendFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions,
        ITestMethod testMethod, IAttributeInfo factAttribute) =>
    [
        new BackendTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod),
    ];
}

/// <summary>A test case whose skip reason depends on the concrete test class: no CUDA device → skipped.</summary>
/// <remarks>The reason is recomputed from the class on the executing side, so nothing extra is serialised.</remarks>
public sealed class BackendTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public BackendTestCase()
    {
    }

    public BackendTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        Type? type = TestMethod.TestClass.Class.ToRuntimeType();
        if (type?.GetCustomAttribute<RequiresCudaDeviceAttribute>() is not null
            && GpuFactAttribute.NoDeviceReason() is { } reason)
        {
            return reason;
        }
        return base.GetSkipReason(factAttribute);
    }
}

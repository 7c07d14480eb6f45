using NasBench.Benchmarks.Cuda;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Tests;

public class BenchmarkTypesTests
{
    [Fact]
    public void Cuda_classes_join_exactly_when_a_device_is_found()
    {
        var notes = new StringWriter();
        Type[] types = BenchmarkTypes.Available(notes);

        Assert.Contains(typeof(MixedOpBenchmarks), types);
        Assert.Contains(typeof(SgemmBenchmarks), types);
        Assert.DoesNotContain(typeof(GemmOperands), types);
        if (CudaDevice.KernelsUnavailableReason() is null)
        {
            Assert.Contains(typeof(CudaSgemmBenchmarks), types);
            Assert.Contains(typeof(CudaMixedOpBenchmarks), types);
            Assert.Equal("", notes.ToString());
        }
        else
        {
            Assert.DoesNotContain(typeof(CudaSgemmBenchmarks), types);
            Assert.DoesNotContain(typeof(CudaMixedOpBenchmarks), types);
            Assert.StartsWith("note: 2 CUDA benchmark classes left out: ", notes.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_cuda_benchmark_class_is_marked()
    {
        Type[] cudaClasses = typeof(BenchmarkTypes).Assembly.GetTypes()
            .Where(t => t.Namespace == "NasBench.Benchmarks.Cuda" && t is { IsClass: true, IsPublic: true })
            .ToArray();

        Assert.NotEmpty(cudaClasses);
        Assert.All(cudaClasses, t => Assert.True(
            Attribute.IsDefined(t, typeof(NeedsCudaDeviceAttribute)), $"{t.Name} lacks [NeedsCudaDevice]"));
    }
}

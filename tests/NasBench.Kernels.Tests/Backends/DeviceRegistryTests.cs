using System.Runtime.Intrinsics;
using NasBench.Kernels.Backends;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>Device discovery: runs anywhere, with or without a GPU.</summary>
public sealed class DeviceRegistryTests
{
    [Fact]
    public void Cpu_device_reports_the_simd_path_the_kernels_take_and_the_core_count()
    {
        CpuDevice cpu = CpuDevice.Instance;
        Assert.True(cpu.IsAvailable);
        Assert.Null(cpu.UnavailableReason);
        Assert.Equal("cpu", cpu.Name);
        Assert.Equal(DeviceKind.Cpu, cpu.Kind);
        Assert.Equal(Environment.ProcessorCount, cpu.LogicalCores);
        SimdWidth expected = Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
            : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
            : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128
            : SimdWidth.Scalar;
        Assert.Equal(expected, cpu.SimdWidth);
        Assert.False(string.IsNullOrWhiteSpace(cpu.Model));
        Assert.Contains($"{cpu.LogicalCores} logical cores", cpu.Description, StringComparison.Ordinal);
        Assert.Equal(cpu.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cpu.Capabilities["cores"]);
        cpu.Synchronize();
    }

    [Fact]
    public void Cpu_device_threads_follow_the_kernel_thread_limit()
    {
        using (CpuParallel.Limit(1))
        {
            Assert.Equal(1, CpuDevice.Threads);
            Assert.Equal("1", CpuDevice.Instance.Capabilities["threads"]);
        }
    }

    [Fact]
    public void Registry_lists_the_cpu_first_and_only_available_devices()
    {
        IReadOnlyList<IComputeDevice> devices = DeviceRegistry.Available();
        Assert.Same(CpuDevice.Instance, devices[0]);
        Assert.All(devices, d => Assert.True(d.IsAvailable, d.Name));
        Assert.Equal(devices.Count - 1, devices.Count(d => d.Kind == DeviceKind.Cuda));
        Assert.Equal(CudaDevice.Probe().IsAvailable ? CudaDevice.Probe().DeviceCount : 0, devices.Count - 1);
    }

    [Fact]
    public void Registry_describes_cuda_even_when_unavailable()
    {
        IReadOnlyList<IComputeDevice> devices = DeviceRegistry.Describe();
        Assert.Contains(devices, d => d.Kind == DeviceKind.Cuda);
        Assert.All(devices, d => Assert.Equal(d.IsAvailable, d.UnavailableReason is null));
    }

    [Fact]
    public void Registry_finds_devices_by_name()
    {
        Assert.Same(CpuDevice.Instance, DeviceRegistry.Find("cpu"));
        Assert.Same(CudaDevice.Get(0), DeviceRegistry.Find("cuda"));
        Assert.Same(CudaDevice.Get(3), DeviceRegistry.Find("cuda:3"));
        Assert.Null(DeviceRegistry.Find("tpu"));
        Assert.Null(DeviceRegistry.Find("cuda:x"));
    }

    [Fact]
    public void Cuda_device_reports_unavailable_with_a_reason_instead_of_throwing()
    {
        CudaAvailability status = CudaDevice.Probe();
        if (status.IsAvailable)
        {
            // On a GPU machine the same contract holds for an ordinal past the last device.
            CudaDevice missing = CudaDevice.Get(status.DeviceCount + 7);
            Assert.False(missing.IsAvailable);
            Assert.Contains("no CUDA device", missing.UnavailableReason, StringComparison.Ordinal);
            return;
        }
        Assert.False(string.IsNullOrWhiteSpace(status.Reason));
        CudaDevice device = CudaDevice.Get(0);
        Assert.False(device.IsAvailable);
        Assert.Equal("cuda:0", device.Name);
        Assert.Equal(status.Reason, device.UnavailableReason);
        Assert.Contains(status.Reason!, device.Description, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => device.Allocate<float>(4));
        Assert.Contains(status.Reason!, ex.Message, StringComparison.Ordinal);
        Assert.Empty(CudaDevice.Enumerate());
    }

    [Fact]
    public void Without_a_driver_library_the_reason_names_every_candidate_tried()
    {
        if (CudaLibraries.DriverLibrary.IsLoaded)
        {
            Assert.Contains(CudaLibraries.DriverLibrary.LoadedName, CudaLibraries.DriverCandidates);
        }
        else
        {
            foreach (string candidate in CudaLibraries.DriverCandidates)
            {
                Assert.Contains(candidate, CudaDevice.Probe().Reason, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Library_probe_tries_candidates_in_order_and_never_throws()
    {
        NativeLibraryProbe probe = NativeLibraryProbe.Load("test",
            ["libnasbench-missing-a.so.1", "libnasbench-missing-b.so"]);
        Assert.False(probe.IsLoaded);
        Assert.Null(probe.LoadedName);
        Assert.Contains("libnasbench-missing-a.so.1", probe.FailureReason, StringComparison.Ordinal);
        Assert.Contains("libnasbench-missing-b.so", probe.FailureReason, StringComparison.Ordinal);
        Assert.True(probe.FailureReason!.IndexOf("missing-a", StringComparison.Ordinal)
            < probe.FailureReason.IndexOf("missing-b", StringComparison.Ordinal));

        // A library every Linux process has: the probe stops at the first that loads.
        if (OperatingSystem.IsLinux())
        {
            NativeLibraryProbe found = NativeLibraryProbe.Load("libc",
                ["libnasbench-missing.so", "libc.so.6", "libm.so.6"]);
            Assert.True(found.IsLoaded);
            Assert.Equal("libc.so.6", found.LoadedName);
        }
    }

    [Fact]
    public void Driver_errors_are_described_by_name_and_code()
    {
        string text = CudaDriver.Describe(CudaResult.IllegalAddress);
        Assert.Contains("CUDA_ERROR_ILLEGAL_ADDRESS (700)", text, StringComparison.Ordinal);
        Assert.True(new CudaException("cuLaunchKernel", CudaResult.LaunchFailed).IsSticky);
        Assert.False(new CudaException("cuMemAlloc_v2", CudaResult.OutOfMemory).IsSticky);
    }

    [GpuFact]
    public void Cuda_device_reports_its_properties()
    {
        CudaDevice device = CudaDevice.Get(0);
        Assert.True(device.IsAvailable);
        Assert.True(device.ComputeCapability >= 50, $"sm_{device.ComputeCapability}");
        Assert.True(device.MultiprocessorCount > 0);
        Assert.True(device.TotalMemoryBytes > 0);
        Assert.False(string.IsNullOrWhiteSpace(device.Model));
        Assert.Contains(device.Model, device.Description, StringComparison.Ordinal);
        device.Synchronize();
    }

    [GpuFact]
    public void Cuda_buffers_round_trip_and_clear()
    {
        CudaDevice device = CudaDevice.Get(0);
        float[] data = Enumerable.Range(0, 1000).Select(i => i * 0.5f).ToArray();
        using CudaBuffer<float> buffer = device.Upload<float>(data);
        Assert.Equal(data, buffer.ToArray());
        var part = new float[10];
        buffer.CopyTo(part, offset: 990);
        Assert.Equal(data[990..], part);
        buffer.Clear();
        Assert.All(buffer.ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.CopyTo(new float[20], offset: 990));
    }

    [GpuFact]
    public async Task Cuda_work_runs_from_any_thread()
    {
        CudaDevice device = CudaDevice.Get(0);
        // The context is current per thread: a thread-pool thread must still be able to allocate and copy.
        float[] result = await Task.Run(() =>
        {
            using CudaBuffer<float> b = device.Upload<float>([1f, 2f, 3f]);
            return b.ToArray();
        });
        Assert.Equal([1f, 2f, 3f], result);
    }
}

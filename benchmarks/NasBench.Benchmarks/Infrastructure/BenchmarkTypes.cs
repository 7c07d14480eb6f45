using System.Reflection;
using BenchmarkDotNet.Attributes;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>The benchmark classes this machine can run: all of them, less those marked
/// <see cref="NeedsCudaDeviceAttribute"/> where CUDA kernels cannot run (no driver, device or NVRTC).</summary>
public static class BenchmarkTypes
{
    /// <summary>The runnable classes; writes one line to <paramref name="notes"/> when CUDA classes are left out.
    /// </summary>
    public static Type[] Available(TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        Type[] all = typeof(BenchmarkTypes).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true }
                && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .ToArray();
        if (CudaDevice.KernelsUnavailableReason() is not { } reason)
        {
            return all;
        }
        Type[] runnable = all.Where(t => t.GetCustomAttribute<NeedsCudaDeviceAttribute>() is null).ToArray();
        notes.WriteLine($"note: {all.Length - runnable.Length} CUDA benchmark classes left out: {reason}");
        return runnable;
    }
}

using System.Runtime.InteropServices;

namespace NasBench.Hardware.Targets;

/// <summary>CPU time consumed by the calling thread, from Linux's <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>.
/// </summary>
public static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Thread CPU time in milliseconds.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux, or the call failed.</exception>
    public static double NowMs()
    {
        if (!IsSupported || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new PlatformNotSupportedException(
                "Thread CPU time needs Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID); use the wall clock here.");
        }
        return (time.Seconds * 1e3) + (time.Nanoseconds * 1e-6);
    }

    // DllImport, not LibraryImport: the blittable signature needs no marshalling stub, and LibraryImport would
    // require unsafe code, which this project does not allow (unsafe lives in the kernels).
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

namespace NasBench.Hardware.Targets;

/// <summary>What a latency sample times.</summary>
public enum MeasurementClock
{
    /// <summary>Wall-clock time (Stopwatch): the latency a user sees, including time the OS gave to other
    /// processes.</summary>
    Wall,

    /// <summary>CPU time of the measuring thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): excludes time the thread was
    /// preempted, so a single-threaded latency stays reproducible on a loaded shared machine. Only meaningful when the
    /// work runs on the calling thread (<c>cpu-1t</c>).</summary>
    ThreadCpu,
}

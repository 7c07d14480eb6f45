namespace NasBench.Hardware.Targets;

/// <summary>One workload of an <see cref="InterleavedMeter"/> run, with what it is timed by and the context it needs.
/// </summary>
/// <param name="Call">One call of it is what is timed.</param>
/// <param name="Clock">Wall time, or the measuring thread's CPU time.</param>
/// <param name="Enter">Run (untimed) before each visit to set up the workload's context, e.g. a target's thread
/// count, so workloads of several targets can share the sweeps; null when there is none.</param>
public sealed record InterleavedWorkload(Action Call, MeasurementClock Clock = MeasurementClock.Wall,
    Action? Enter = null);

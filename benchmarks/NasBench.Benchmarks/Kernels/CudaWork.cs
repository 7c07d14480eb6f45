namespace NasBench.Benchmarks.Kernels;

/// <summary>The work of one call in the unit a rate is reported in: <paramref name="PerCall"/> units per call, shown
/// as <paramref name="Unit"/> (e.g. 2·m·n·k / 10⁹ per call, "GFLOP/s").</summary>
public readonly record struct CudaWork(double PerCall, string Unit)
{
    /// <summary>Units per second at <paramref name="milliseconds"/> a call.</summary>
    public double Rate(double milliseconds) => PerCall / (milliseconds / 1e3);
}

namespace NasBench.Benchmarks.Kernels;

/// <summary>One row of <c>cuda-time</c> before it runs: its names and how to build its case. Building is deferred so
/// that a case whose operands or wrapper fail is reported on its own row, not before the table starts.</summary>
internal sealed record CudaTimingEntry(string Kernel, string Shape, Func<CudaTimingCase> Create);

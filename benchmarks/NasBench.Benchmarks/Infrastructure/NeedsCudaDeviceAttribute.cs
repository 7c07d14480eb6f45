namespace NasBench.Benchmarks.Infrastructure;

/// <summary>Marks a benchmark class that runs CUDA kernels. Where no CUDA device is found, Program leaves such
/// classes out of the switcher (with a note) instead of letting every case fail in its setup, so `--filter *` on a
/// CPU-only machine still ends cleanly.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsCudaDeviceAttribute : Attribute;

namespace NasBench.Tensors.Tests;

/// <summary>Tests that read process-wide counters (allocated bytes) or change process-wide settings
/// (CpuParallel.MaxThreads) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTestCollection
{
    public const string Name = "Serial";
}

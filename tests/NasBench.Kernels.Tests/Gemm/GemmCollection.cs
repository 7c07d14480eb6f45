namespace NasBench.Kernels.Tests.Gemm;

/// <summary>SGEMM tests change the global <see cref="Cpu.CpuParallel.MaxThreads"/>, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public class GemmCollection
{
    public const string Name = "Gemm";
}

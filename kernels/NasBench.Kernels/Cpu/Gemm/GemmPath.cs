namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Which micro-kernel family SGEMM runs. <see cref="Auto"/> picks the widest one the CPU accelerates.</summary>
internal enum GemmPath
{
    Auto,
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

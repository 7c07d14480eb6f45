namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>Where the micro-kernels find B for one KC×NC block: the packed buffer, and optionally the block's
/// first element in B itself (stride <see cref="Ldb"/>) when full panels are read in place.</summary>
internal readonly unsafe struct BPanels(float* packed, float* direct, nint ldb)
{
    public float* Packed { get; } = packed;

    /// <summary>Null when every panel is packed.</summary>
    public float* Direct { get; } = direct;

    public nint Ldb { get; } = ldb;
}

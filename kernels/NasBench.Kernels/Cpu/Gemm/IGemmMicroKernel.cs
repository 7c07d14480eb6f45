namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>A register-blocked SGEMM micro-kernel: <c>C[MR×w] = alpha·Ã·B̃ + beta·C</c> over packed panels.</summary>
/// <remarks>
/// Packed A is MR floats per k step (one column of the MR-row panel); B advances <c>bStride</c> floats per k step
/// (the panel width when packed, ldb when read in place). <see cref="Full"/> covers <see cref="Nr"/> columns;
/// <see cref="Strip"/> covers one vector
/// (<see cref="Vw"/> columns) of a narrower edge panel. Both always write the whole tile: the driver hands them a
/// scratch tile when the real C tile is cut by the matrix edge. beta = 0 never reads C.
/// Implemented by structs so that the generic driver is specialised per kernel and every call is direct.
/// </remarks>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of a packed A panel.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of a full packed B panel (a multiple of <see cref="Vw"/>).</summary>
    static abstract int Nr { get; }

    /// <summary>Vector width in floats; edge B panels are padded to a multiple of it.</summary>
    static abstract int Vw { get; }

    static abstract void Full(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta);

    static abstract void Strip(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta);

    /// <summary>Edge strips with at most this many real columns go through <see cref="Column"/> one column at a
    /// time instead of a full-width <see cref="Strip"/> (0: never).</summary>
    static abstract int NarrowColumns { get; }

    /// <summary>The MR raw sums Σ_p Ã[p, r]·b[p·bStride] of one packed B column, written to
    /// <paramref name="sums"/>.</summary>
    static abstract void Column(int kc, float* a, float* b, nint bStride, float* sums);
}

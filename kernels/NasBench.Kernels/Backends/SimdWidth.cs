namespace NasBench.Kernels.Backends;

/// <summary>The widest vector register width, in bits, that the CPU kernels take at run time.</summary>
public enum SimdWidth
{
    Scalar = 0,
    Vector128 = 128,
    Vector256 = 256,
    Vector512 = 512,
}
